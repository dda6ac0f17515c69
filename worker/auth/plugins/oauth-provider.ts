/** oauthProvider: an OAuth 2.1 + OIDC authorization server (MCP-ready) with login and consent pages on ACCOUNT_URL. */
import { oauthProvider } from "@better-auth/oauth-provider";
import type { Hono } from "hono";
import type { AppEnv, PluginModule, RouteContext } from "../../spec.ts";
import { accountRedirects } from "./oauth-provider/account-redirects.ts";
import { discoveryRoutes } from "./oauth-provider/discovery-routes.ts";
import { oauthInputGuards } from "./oauth-provider/input-guards.ts";
import { loopbackRegistration } from "./oauth-provider/loopback-registration.ts";
import { oauthProviderSettings } from "./oauth-provider/settings.ts";

export const oauthProviderPlugin: PluginModule = {
  betterAuth: ({ env, options }) => {
    const settings = oauthProviderSettings(options, env);
    return [
      // Before oauthProvider, so its registration hook sees the body first.
      loopbackRegistration(),
      oauthInputGuards(),
      oauthProvider({
        loginPage: settings.loginPage,
        consentPage: settings.consentPage,
        scopes: settings.scopes,
        allowDynamicClientRegistration: settings.allowDynamicClientRegistration,
        allowUnauthenticatedClientRegistration: settings.allowUnauthenticatedClientRegistration,
        // RFC 8707: the audiences are the resources tokens are issued for (an unknown one is invalid_target).
        resources: settings.validAudiences,
        // Every client may ask for every configured audience: they are all this app's own APIs.
        enforcePerClientResources: false,
      }),
    ];
  },
  routes: oauthRoutes,
};

function oauthRoutes(app: Hono<AppEnv>, ctx: RouteContext) {
  const { basePath } = ctx.spec.manifest;
  discoveryRoutes(app, ctx);
  app.use(
    `${basePath}/*`,
    accountRedirects((env) => {
      const settings = oauthProviderSettings(ctx.spec.manifest.plugins.oauthProvider ?? {}, env);
      return {
        loginPage: settings.loginPage,
        consentPage: settings.consentPage,
        authorizeUrl: `${env.BETTER_AUTH_URL.replace(/\/+$/, "")}${basePath}/oauth2/authorize`,
      };
    }),
  );
}
