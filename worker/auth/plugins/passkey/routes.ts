/** The seed's passkey paths, served by rewriting each request onto Better Auth's own passkey endpoint. */
import type { Context, Hono } from "hono";
import type { AppEnv, RouteContext } from "../../../spec.ts";
import {
  authenticationCredential,
  credentialFrom,
  isObject,
  registrationCredential,
} from "./credential-body.ts";
import { PASSKEY_ALIAS_ERROR_CODES as ERRORS } from "./error-codes.ts";

/** Query parameters Better Auth's generate-register-options takes; the seed's POST may send them as JSON. */
const REGISTER_OPTION_FIELDS = ["authenticatorAttachment", "name"] as const;

export function passkeySeedRoutes(app: Hono<AppEnv>, ctx: RouteContext) {
  const base = `${ctx.spec.manifest.basePath}/passkey`;

  // Seed: POST; Better Auth: GET with options in the query.
  app.post(`${base}/register/options`, async (c) => {
    const body = await jsonObject(c);
    const query = new URLSearchParams(new URL(c.req.url).search);
    for (const field of REGISTER_OPTION_FIELDS) {
      if (typeof body[field] === "string") query.set(field, body[field]);
    }
    return forward(c, ctx, `${base}/generate-register-options`, { method: "GET", query });
  });

  app.post(`${base}/authenticate/options`, (c) =>
    forward(c, ctx, `${base}/generate-authenticate-options`, { method: "GET" }),
  );

  // Seed: the raw credential as the body; Better Auth: `{ response: credential, name? }`.
  app.post(`${base}/register/verify`, async (c) => {
    const body = await jsonObject(c);
    const credential = credentialFrom(body, registrationCredential);
    if (!credential) return c.json(ERRORS.INVALID_CREDENTIAL, 400);
    const name = typeof body.name === "string" ? body.name : c.req.query("name");
    const res = await forward(c, ctx, `${base}/verify-registration`, {
      method: "POST",
      json: { response: credential, ...(name ? { name } : {}) },
    });
    return verificationFailureIsClientError(res);
  });

  app.post(`${base}/authenticate/verify`, async (c) => {
    const credential = credentialFrom(await jsonObject(c), authenticationCredential);
    if (!credential) return c.json(ERRORS.INVALID_CREDENTIAL, 400);
    return forward(c, ctx, `${base}/verify-authentication`, {
      method: "POST",
      json: { response: credential },
    });
  });

  // Better Auth's own paths stay as they are, except that a body that is no credential at all is a
  // 400 here (Better Auth would look it up and fail with a 500), and so is an unverifiable one.
  app.post(`${base}/verify-registration`, async (c) => {
    if (!credentialFrom((await jsonObject(c)).response, registrationCredential)) {
      return c.json(ERRORS.INVALID_CREDENTIAL, 400);
    }
    return verificationFailureIsClientError(await ctx.auth(c.env).handler(c.req.raw));
  });
  app.post(`${base}/verify-authentication`, async (c) => {
    if (!credentialFrom((await jsonObject(c)).response, authenticationCredential)) {
      return c.json(ERRORS.INVALID_CREDENTIAL, 400);
    }
    return ctx.auth(c.env).handler(c.req.raw);
  });
}

/** The JSON object body, or `{}` when there is none (the seed's options calls send no body). */
async function jsonObject(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const type = c.req.header("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) return {};
  // worker/middleware/json-body.ts has already answered malformed JSON and turned "" into {}.
  // A clone: the native paths pass the original request on to Better Auth.
  const body: unknown = await c.req.raw.clone().json();
  return isObject(body) ? body : {};
}

function forward(
  c: Context<AppEnv>,
  ctx: RouteContext,
  pathname: string,
  { method, query, json }: { method: "GET" | "POST"; query?: URLSearchParams; json?: unknown },
): Promise<Response> {
  const url = new URL(c.req.url);
  url.pathname = pathname;
  url.search = query?.toString() ?? "";
  const headers = new Headers(c.req.raw.headers);
  headers.delete("content-length");
  if (json === undefined) headers.delete("content-type");
  else headers.set("content-type", "application/json");
  const body = json === undefined ? undefined : JSON.stringify(json);
  return ctx.auth(c.env).handler(new Request(url, { method, headers, body }));
}

/**
 * Better Auth answers a registration credential it cannot verify (bad signature, wrong challenge,
 * undecodable attestation) with a 500. It is the client's bad input, so it becomes a 400 with the
 * same body; the cause is still in the Worker's log.
 */
async function verificationFailureIsClientError(res: Response): Promise<Response> {
  if (res.status !== 500) return res;
  const text = await res.text();
  const body: unknown = safeJson(text);
  const status = isObject(body) && body.code === "FAILED_TO_VERIFY_REGISTRATION" ? 400 : 500;
  return new Response(text, { status, headers: res.headers });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
