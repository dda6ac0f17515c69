/**
 * auth.oauthProxy's runtime (docs/social-previews.md), bundled only into a stage the plan gave a
 * role: the stable stage (the providers call it back; it forwards to allow-listed previews) or a
 * preview (its sign-ins go through the stable stage and complete here, in the starting browser).
 * Better Auth's oAuthProxy does the flow, sealed with AUTHFORM_OAUTH_PROXY_SECRET, not
 * BETTER_AUTH_SECRET: previews never hold the stable stage's own secret.
 */
import { oAuthProxy } from "better-auth/plugins/oauth-proxy";
import type { OAuthProxyModule } from "../../../spec.ts";
import { bindForwardToBrowser, COMPLETION_PATHS } from "./bind-to-browser.ts";
import { forwardGuard } from "./forward-guard.ts";

/** Seconds a forwarded sign-in stays valid (Better Auth's default, stated so the docs can quote it). */
export const FORWARD_MAX_AGE_SECONDS = 60;

export const oauthProxyModule: OAuthProxyModule = {
  betterAuth(env, manifest) {
    const role = manifest.oauthProxy;
    if (!role) return [];
    const secret = env.AUTHFORM_OAUTH_PROXY_SECRET;
    const stableUrl = env.AUTHFORM_OAUTH_PROXY_STABLE_URL;
    if (!secret || !stableUrl) {
      throw new Error(
        "oauthProxy: AUTHFORM_OAUTH_PROXY_SECRET and AUTHFORM_OAUTH_PROXY_STABLE_URL are missing (the plan sets them)",
      );
    }
    const proxy = oAuthProxy({
      productionURL: stableUrl,
      // Explicit, so neither the request's Host nor a vendor variable decides where a sign-in returns.
      currentURL: env.BETTER_AUTH_URL,
      secret,
      maxAge: FORWARD_MAX_AGE_SECONDS,
    });
    if (role === "stable") return [proxy];
    const loginPage = `${env.ACCOUNT_URL.replace(/\/+$/, "")}/login`;
    return [bindForwardToBrowser(secret, loginPage), proxy];
  },
  routes(app, manifest) {
    if (manifest.oauthProxy !== "stable") return;
    const base = manifest.basePath;
    app.use(`${base}/callback/:id`, forwardGuard(base));
    // A forwarded sign-in completes on a preview, never on the stage that forwards it.
    for (const path of COMPLETION_PATHS) {
      app.on(["GET", "POST"], `${base}${path}`, (c) => c.json({ error: "not_found" }, 404));
    }
  },
};
