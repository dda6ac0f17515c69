/** CORS for /auth/v1 and /api/v1: exactly the trusted origins, with credentials; anyone else gets no grant (public OAuth endpoints: ./public-cors.ts). */
import type { MiddlewareHandler } from "hono";
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
  return origin !== undefined && trustedOrigins(env).includes(origin);
}

export function cors(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header("origin");
    const allowed = isTrustedOrigin(c.env, origin);
    const preflight =
      c.req.method === "OPTIONS" && c.req.header("access-control-request-method") !== undefined;
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
    if (!allowed) return;
    c.res.headers.set("access-control-allow-origin", origin);
    c.res.headers.set("access-control-allow-credentials", "true");
    c.res.headers.set("access-control-expose-headers", EXPOSE_HEADERS);
  };
}
