/** One entry of runtime.trustedOrigins: checked to be exactly an origin, and normalised as browsers send it. */
import { preview } from "./describe-value.ts";
import type { PathIssue } from "./messages.ts";

/** Hosts a browser treats as secure over plain http: the only ones an http origin may name. */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** `scheme://` then host[:port] and at most one "/": no path, query, fragment or user info. */
const ORIGIN_SHAPE = /^([a-z][a-z0-9+.-]*):\/\/([^/?#@\\\s]+)\/?$/i;

const EXAMPLE = '"https://app.example.com" or "http://localhost:5173"';

export type OriginCheck = { origin: string } | { issue: PathIssue };

/**
 * The origin a browser would send in its `Origin` header for `value` (lowercase host, no default
 * port), or why `value` is not one.
 *
 * @example
 * // normalised: case and the default port do not make a second origin
 * checkTrustedOrigin("https://App.Example.com:443"); // { origin: "https://app.example.com" }
 */
export function checkTrustedOrigin(value: string): OriginCheck {
  const given = value.trim();
  const problem = (message: string, fix?: string): OriginCheck => ({
    issue: fix === undefined ? { path: [], message } : { path: [], message, fix },
  });
  if (given.toLowerCase() === "null") {
    return problem(
      '"null" cannot be trusted: sandboxed iframes, file: pages and some redirects all send it, so trusting it trusts any of them',
    );
  }
  if (given.includes("*")) {
    return problem(
      `wildcards are not supported; list each origin (got ${preview(value)})`,
      "write every origin in full, e.g. https://app.example.com",
    );
  }
  const shape = ORIGIN_SHAPE.exec(given);
  const url = parseUrl(given);
  if (!shape) {
    const fix = url?.origin.startsWith("http")
      ? `write the origin only: "${url.origin}"`
      : /^[a-z0-9.-]+(:\d+)?$/i.test(given)
        ? `add the scheme: "${schemeFor(given)}://${given.toLowerCase()}"`
        : undefined;
    return problem(
      `expected an origin (scheme://host[:port], no path, query or fragment) like ${EXAMPLE}, got ${preview(value)}`,
      fix,
    );
  }
  const scheme = (shape[1] as string).toLowerCase();
  if (scheme !== "http" && scheme !== "https") {
    return problem(`expected an http or https origin, got ${preview(value)}`);
  }
  if (!url || url.host === "") return problem(`expected an origin like ${EXAMPLE}, got ${preview(value)}`);
  if (scheme === "http" && !LOOPBACK_HOSTS.has(url.hostname)) {
    return problem(
      `plain http is only accepted for localhost, 127.0.0.1 and [::1], got ${preview(value)}: anyone on the network can put script into an http page and act as its users`,
      `use https: "https://${url.host}"`,
    );
  }
  return { origin: url.origin };
}

/** The scheme a bare host most likely meant: http for a loopback dev server, else https. */
function schemeFor(host: string): "http" | "https" {
  return LOOPBACK_HOSTS.has(host.toLowerCase().replace(/:\d+$/, "")) ? "http" : "https";
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
