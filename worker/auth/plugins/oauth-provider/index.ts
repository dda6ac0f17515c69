/** oauthProvider: an OAuth 2.1 + OIDC authorization server (MCP-ready) with login and consent pages on ACCOUNT_URL. */
import { oauthProvider } from "@better-auth/oauth-provider";
import { parseCimdLoopback } from "../../../../src/contract/cimd-loopback.ts";
import type { WorkerEnv } from "../../../env.ts";
import type { PluginModule } from "../../../spec.ts";
import { type CimdOptions, cimdDiscovery } from "./cimd/index.ts";
import { configuredTargets } from "./configured-targets.ts";
import { oauthInputGuards } from "./input-guards.ts";
import { loopbackRegistration } from "./loopback-registration.ts";
import { allAudiences, type OAuthProviderSettings, oauthProviderSettings, offeredScopes } from "./options.ts";
import { discoveryReference } from "./reference.ts";
import { oauthRoutes } from "./routes.ts";
import { unchangedResourcesStay } from "./unchanged-resources.ts";

export const oauthProviderPlugin: PluginModule = {
  audit: {
    ownActions: {
      "/oauth2/register": "oauth.client-register",
      "/oauth2/consent": "oauth.consent-grant",
      "/oauth2/delete-consent": "oauth.consent-revoke",
    },
  },
  betterAuth: ({ env, options }) => {
    const settings = oauthProviderSettings(options, env);
    return [
      // Before oauthProvider, so its registration hook sees the body first.
      loopbackRegistration(),
      oauthInputGuards(),
      configuredTargets(allAudiences(settings)),
      // Before oauthProvider, whose init re-seeds the resource rows: no write when nothing changed.
      unchangedResourcesStay(),
      oauthProvider({
        loginPage: settings.loginPage,
        consentPage: settings.consentPage,
        scopes: offeredScopes(settings),
        allowDynamicClientRegistration: settings.allowDynamicClientRegistration,
        allowUnauthenticatedClientRegistration: settings.allowUnauthenticatedClientRegistration,
        // RFC 8707: the resources tokens are issued for (an unknown one is invalid_target).
        resources: upstreamResources(settings),
        // The config is the source of truth: a changed scope list replaces the stored row's.
        resourceSeedMode: "overwrite",
        // Every client may ask for every configured audience: they are all this app's own APIs.
        enforcePerClientResources: false,
        // Client ID Metadata Documents: a client_id that is an https URL (cimd/).
        extensions: [{ clientDiscovery: cimdDiscovery(cimdOptions(env)) }],
      }),
    ];
  },
  routes: oauthRoutes,
  reference: discoveryReference,
};

/** Local mode allows loopback documents, and AUTHFORM_CIMD_LOOPBACK's stand-ins (the plan refuses it on a deploy). */
function cimdOptions(env: WorkerEnv): CimdOptions {
  const local = env.AUTHFORM_MODE === "local";
  if (!local || !env.AUTHFORM_CIMD_LOOPBACK) return { local };
  const parsed = parseCimdLoopback(env.AUTHFORM_CIMD_LOOPBACK);
  return "origins" in parsed ? { local, loopback: parsed.origins } : { local };
}

/**
 * Better Auth's resource rows: plain audiences as they are, declared resources with their scopes.
 * A token for a declared resource carries only its scopes and the server's own (openid,
 * offline_access...): never another resource's, and still an ID token and a refresh token.
 */
function upstreamResources(settings: OAuthProviderSettings) {
  const declared = new Set(settings.resources.map((r) => r.url));
  return [
    ...settings.validAudiences.filter((audience) => !declared.has(audience)),
    ...settings.resources.map((r) => ({
      identifier: r.url,
      name: r.url,
      allowedScopes: [...new Set([...r.scopes, ...settings.scopes])],
    })),
  ];
}
