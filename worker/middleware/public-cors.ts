/** CORS for the public OAuth surface (discovery, registration, token, userinfo, introspection, revocation, JWKS): any origin, never credentials. */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../spec.ts";
import { credentialedCors, isTrustedOrigin } from "./cors.ts";

/**
 * The endpoints any web origin may call, and the methods each answers. Why this is safe: none of
 * them authenticates by cookie. Discovery documents and the JWKS are public data; `/oauth2/token`
 * authenticates the client by its secret or (public clients) the PKCE code_verifier,
 * `/oauth2/introspect` and `/oauth2/revoke` by client credentials, `/oauth2/userinfo` by the
 * Bearer access token. `/oauth2/register` would read a session cookie to make the user the
 * client's owner, but an `*` grant never lets a browser send one (a credentialed request is
 * refused by the browser, and Better Auth refuses any cookie-bearing POST from an untrusted
 * Origin), so from another origin it is the same anonymous registration any server can already
 * make. Everything cookie-authenticated — authorize, consent, continue, end-session, client and
 * consent management, the session API — stays trusted-origin-only (./cors.ts).
 */
const ROOT_DOCUMENTS = [
  "/.well-known/oauth-authorization-server",
  "/.well-known/openid-configuration",
  "/.well-known/oauth-protected-resource",
];
const UNDER_BASE_PATH: Record<string, string> = {
  "/oauth2/token": "POST",
  "/oauth2/register": "POST",
  "/oauth2/userinfo": "GET, POST",
  "/oauth2/introspect": "POST",
  "/oauth2/revoke": "POST",
  "/jwks": "GET",
  // The OpenAPI reference: the public API's description, for viewers on any origin.
  "/reference/openapi.json": "GET",
};

/** What these clients send beyond the CORS-safelisted headers (the MCP SDK adds its protocol version to discovery). */
const PUBLIC_ALLOW_HEADERS = "authorization, content-type, dpop, mcp-protocol-version";
/** A 401's challenge (RFC 6750 / RFC 9728 clients read it) and a 429's wait. */
const PUBLIC_EXPOSE_HEADERS = "www-authenticate, retry-after";
const MAX_AGE_SECONDS = "600";

/** The methods `pathname` answers to any origin, or undefined when it is not a public endpoint. */
export function publicCorsMethods(pathname: string, basePath: string): string | undefined {
  if (pathname.startsWith("/.well-known/") && ROOT_DOCUMENTS.some((doc) => underOrAt(pathname, doc)))
    return "GET";
  if (!pathname.startsWith(basePath) || pathname.charAt(basePath.length) !== "/") return undefined;
  return UNDER_BASE_PATH[pathname.slice(basePath.length)];
}

/** `pathname` is `doc` or below it. */
function underOrAt(pathname: string, doc: string): boolean {
  return pathname.startsWith(doc) && (pathname.length === doc.length || pathname.charAt(doc.length) === "/");
}

/**
 * Public endpoints: `*` without credentials for any origin that is not trusted. Everything else,
 * and a trusted origin everywhere, goes to the credentialed `cors()` (the Account SPA keeps its grant).
 */
export function publicCors(basePath: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const methods = publicCorsMethods(c.req.path, basePath);
    const origin = c.req.header("origin");
    if (methods === undefined || origin === undefined || isTrustedOrigin(c.env, origin)) {
      return credentialedCors(c, next, origin);
    }
    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method") !== undefined) {
      return new Response(null, {
        status: 204,
        headers: {
          "access-control-allow-origin": "*",
          "access-control-allow-methods": `${methods}, OPTIONS`,
          "access-control-allow-headers": PUBLIC_ALLOW_HEADERS,
          "access-control-max-age": MAX_AGE_SECONDS,
          // A trusted origin gets a different answer: caches must key on Origin.
          vary: "Origin",
        },
      });
    }
    await next();
    c.res.headers.append("vary", "Origin");
    c.res.headers.set("access-control-allow-origin", "*");
    // Never with `*`: the browser then sends no cookies and exposes no credentialed response.
    c.res.headers.delete("access-control-allow-credentials");
    c.res.headers.set("access-control-expose-headers", PUBLIC_EXPOSE_HEADERS);
  };
}
