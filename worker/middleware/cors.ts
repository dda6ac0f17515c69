/** CORS for /auth/v1 and /api/v1: exactly the trusted origins, with credentials; anyone else gets no grant (public OAuth endpoints: ./public-cors.ts). */
import type { Context, MiddlewareHandler, Next } from "hono";
import { trustedOrigins } from "../auth/origins.ts";
import { BOOKMARK_HEADER } from "../db/d1-session.ts";
import type { AppEnv } from "../spec.ts";
import { jsonError } from "./errors.ts";

const ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
/**
 * Headers a browser client sends (JSON bodies, the fast-path token, API keys, the D1 bookmark it
 * echoes), when the preflight names none.
 */
const DEFAULT_ALLOW_HEADERS = `content-type, authorization, x-api-key, ${BOOKMARK_HEADER}`;
/**
 * Response headers a browser client must read: the fast-path token, Better Auth's bearer token,
 * the D1 bookmark (a cross-site client, whose cookie is not sent, echoes it to read its writes),
 * a 401's challenge (OAuth's userinfo sends one) and a 429's wait.
 */
const EXPOSE_HEADERS = `set-auth-token, set-auth-jwt, ${BOOKMARK_HEADER}, www-authenticate, retry-after`;
const MAX_AGE_SECONDS = "600";

/** Whether `origin` gets the credentialed grant (one rule for this middleware and ./public-cors.ts). */
export function isTrustedOrigin(env: AppEnv["Bindings"], origin: string | undefined): origin is string {
  return origin !== undefined && trustedSet(env).has(origin);
}

/** The trusted origins per env, parsed once rather than per request (and again if a var changes). */
const trustedSets = new WeakMap<object, { vars: string; origins: Set<string> }>();

function trustedSet(env: AppEnv["Bindings"]): Set<string> {
  const vars = `${env.AUTHFORM_TRUSTED_ORIGINS}\n${env.BETTER_AUTH_URL}\n${env.ACCOUNT_URL}\n${env.APP_URL}`;
  let known = trustedSets.get(env);
  if (known?.vars !== vars) {
    known = { vars, origins: new Set(trustedOrigins(env)) };
    trustedSets.set(env, known);
  }
  return known.origins;
}

export function cors(): MiddlewareHandler<AppEnv> {
  return (c, next) => credentialedCors(c, next, c.req.header("origin"));
}

/** The credentialed grant for a request whose Origin header (`origin`) the caller has already read. */
export async function credentialedCors(
  c: Context<AppEnv>,
  next: Next,
  origin: string | undefined,
): Promise<Response | undefined> {
  const allowed = isTrustedOrigin(c.env, origin);
  const preflight = c.req.method === "OPTIONS" && c.req.header("access-control-request-method") !== undefined;
  if (preflight) {
    if (!allowed) {
      const res = jsonError(
        c,
        403,
        "origin_not_allowed",
        `${origin ?? "This origin"} is not a trusted origin of this stack (BETTER_AUTH_URL, ACCOUNT_URL, APP_URL, runtime.trustedOrigins).`,
      );
      res.headers.append("vary", "Origin");
      return res;
    }
    return new Response(null, {
      status: 204,
      headers: {
        "access-control-allow-origin": origin,
        "access-control-allow-credentials": "true",
        "access-control-allow-methods": ALLOW_METHODS,
        // A trusted origin may send what it asks for; the credentials check is Better Auth's and ours.
        "access-control-allow-headers":
          c.req.header("access-control-request-headers") ?? DEFAULT_ALLOW_HEADERS,
        "access-control-max-age": MAX_AGE_SECONDS,
        vary: "Origin, Access-Control-Request-Headers",
      },
    });
  }
  await next();
  // The answer depends on Origin: caches must not hand one origin's grant to another.
  c.res.headers.append("vary", "Origin");
  if (!allowed) return undefined;
  c.res.headers.set("access-control-allow-origin", origin);
  c.res.headers.set("access-control-allow-credentials", "true");
  c.res.headers.set("access-control-expose-headers", EXPOSE_HEADERS);
  return undefined;
}
