/**
 * The stable stage forwards a sign-in only to this app's own previews. Better Auth's oAuthProxy
 * sends the sealed result wherever the (sealed) state says; only a holder of
 * AUTHFORM_OAUTH_PROXY_SECRET can write that, but a leaked secret or a preview on a lookalike
 * origin must still not receive a user's tokens. Every response of the callback route is checked:
 * a redirect that carries a sealed profile must go to an allow-listed origin's completion path.
 */
import type { MiddlewareHandler } from "hono";
import { parsePreviewOrigins, previewOriginAllowed } from "../../../../src/contract/oauth-proxy.ts";
import type { AppEnv } from "../../../spec.ts";

export function forwardGuard(basePath: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const location = c.res.headers.get("location");
    if (!location) return;
    let target: URL;
    try {
      target = new URL(location, c.env.BETTER_AUTH_URL);
    } catch {
      return;
    }
    // Only a forward carries the sealed profile; every other redirect (errors, the stable stage's own sign-ins) passes.
    if (!target.searchParams.has("profile")) return;
    const completion = new RegExp(`^${basePath}/callback/[a-z0-9-]+/oauth-proxy$`);
    // The stable stage's own sign-in landing on its own origins with a `profile` in its callbackURL is no forward.
    const own = (c.env.AUTHFORM_TRUSTED_ORIGINS ?? "").split(",").includes(target.origin);
    if (own && !target.pathname.endsWith("/oauth-proxy")) return;
    const allowed = parsePreviewOrigins(c.env.AUTHFORM_OAUTH_PROXY_PREVIEWS);
    if (previewOriginAllowed(target.href, allowed) && completion.test(target.pathname)) return;
    console.warn(`oauthProxy: refused to forward a sign-in to ${target.origin}${target.pathname}`);
    // Hono copies the old response's headers into a new one (the forward's Location too): drop it first.
    c.res = undefined;
    c.res = new Response(null, {
      status: 302,
      headers: { location: `${c.env.ACCOUNT_URL.replace(/\/+$/, "")}/login?error=preview_origin_refused` },
    });
  };
}
