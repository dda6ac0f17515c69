/** oauthProvider: an OAuth 2.1 + OIDC authorization server (MCP-ready) with login and consent pages on ACCOUNT_URL. */
import { oauthProvider } from "@better-auth/oauth-provider";
import type { PluginModule } from "../../../spec.ts";
import { oauthInputGuards } from "./input-guards.ts";
import { loopbackRegistration } from "./loopback-registration.ts";
import { oauthProviderSettings } from "./options.ts";
import { oauthRoutes } from "./routes.ts";

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
