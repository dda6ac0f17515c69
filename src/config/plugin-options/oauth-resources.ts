/**
 * oauthProvider.resources: the protected resources (MCP servers, APIs) tokens are issued for
 * (RFC 8707), each with the scopes it understands. The URL is the exact `resource` value clients
 * send and the token's `aud`, so it is checked as RFC 8707 §2 and RFC 9728 §2 want it.
 */
import * as z from "zod";
import { preview } from "../describe-value.ts";
import { type PathIssue, report } from "../messages.ts";

/** Hosts a plain http resource may name: a server on this machine, for local mode. */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

const EXAMPLE = '"https://api.example.com/mcp"';

/** Why `value` cannot identify a resource, or undefined when it can. */
export function resourceUrlProblem(value: string): Omit<PathIssue, "path"> | undefined {
  const url = parseUrl(value);
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    const message = `expected an absolute https URL like ${EXAMPLE}, got ${preview(value)}`;
    return /^[\w.-]+\.[a-z]{2,}(\/.*)?$/i.test(value)
      ? { message, fix: `write https://${value}` }
      : { message };
  }
  if (value.includes("#")) {
    return {
      message: `a resource URL cannot have a fragment (RFC 8707), got ${preview(value)}`,
      fix: `write ${preview(value.slice(0, value.indexOf("#")))}`,
    };
  }
  if (url.username !== "" || url.password !== "") {
    return { message: `a resource URL cannot carry a user name or password, got ${preview(value)}` };
  }
  if (url.protocol === "http:" && !LOOPBACK_HOSTS.has(url.hostname)) {
    return {
      message: `plain http is only accepted for localhost, 127.0.0.1 and [::1] (local mode), got ${preview(value)}: tokens for it would cross the network in the clear`,
      fix: `use https: "https://${value.slice("http://".length)}"`,
    };
  }
  return undefined;
}

/** Whether a resource URL names a loopback server over http (accepted in local mode only). */
export function isLoopbackHttpResource(value: string): boolean {
  return parseUrl(value)?.protocol === "http:";
}

const resourceUrl = z.string().superRefine((value, ctx) => {
  const problem = resourceUrlProblem(value);
  if (problem) report(ctx, [{ path: [], ...problem }]);
});

const scopeName = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, {
  error: (iss) => `expected a scope name without spaces, got ${preview(iss.input)}`,
});

const resource = z.strictObject({
  url: resourceUrl.describe("The resource's URL: what clients send as `resource`, and the token's `aud`."),
  scopes: z
    .array(scopeName)
    .min(1, { error: 'expected at least one scope this resource understands, e.g. ["tools:read"]' })
    .describe("Scopes this resource understands; tokens for it carry only these (and the identity scopes)."),
});

export const oauthResources = z
  .array(resource)
  .superRefine(
    (entries, ctx) => {
      const seen = new Map<string, number>();
      entries.forEach((entry, index) => {
        if (typeof entry?.url !== "string") return;
        const key = parseUrl(entry.url)?.href ?? entry.url;
        const first = seen.get(key);
        if (first === undefined) seen.set(key, index);
        else {
          report(ctx, [
            {
              path: [index, "url"],
              message: `${preview(entry.url)} is listed twice (first at [${first}])`,
              fix: "remove one, or merge their scopes into one entry",
            },
          ]);
        }
      });
    },
    { when: (payload) => Array.isArray(payload.value) },
  )
  .describe("Protected resources (e.g. MCP servers) tokens are issued for, with their scopes (RFC 8707).");

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
