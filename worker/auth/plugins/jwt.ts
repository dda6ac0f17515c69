/** jwt: Better Auth's asymmetric JWTs + JWKS for other services; /auth/v1/token by GET and, as the seed says, POST. */
import { jwt } from "better-auth/plugins/jwt";
import type { Hono } from "hono";
import type { AppEnv, PluginModule, RouteContext } from "../../spec.ts";

export const jwtPlugin: PluginModule = {
  // Better Auth's defaults (EdDSA keys made on first use, kept encrypted in the jwks table,
  // iss = aud = BETTER_AUTH_URL, 15-minute tokens) except the `set-auth-jwt` header on every
  // get-session: it signs a token per call (1–2 ms on the hottest endpoint), and when the private
  // key cannot be decrypted (BETTER_AUTH_SECRET rotated) it turns every get-session into a 500.
  // Tokens come from /token, as the seed documents.
  betterAuth: () => [jwt({ disableSettingJwtHeader: true })],
  routes: tokenByPost,
};

/** Better Auth defines only GET /token; the seed says POST. Both mint from the session cookie. */
function tokenByPost(app: Hono<AppEnv>, ctx: RouteContext) {
  const path = `${ctx.spec.manifest.basePath}/token`;
  app.post(path, (c) => {
    const headers = new Headers(c.req.raw.headers);
    headers.delete("content-type");
    headers.delete("content-length");
    return ctx.auth(c.env).handler(new Request(c.req.url, { method: "GET", headers }));
  });
}
