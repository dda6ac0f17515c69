/** The plan's social sign-in: each provider's callback URL, credentials and local loopback stand-ins. */
import type { ResolvedConfig } from "../config/types.ts";
import {
  genericProviderVars,
  parseSocialLoopback,
  SOCIAL_PROVIDER_IDS,
  SOCIAL_PROVIDERS,
  type SocialProviderId,
  socialCallbackUrl,
} from "../contract/social-providers.ts";
import { isLoopbackUrl, nonEmpty } from "../contract/urls.ts";
import { GenericOAuthPlanError, SocialLoopbackError } from "./errors.ts";
import type { Mode, SecretSpec, SocialProviderPlan } from "./types.ts";

/**
 * The vars this plan sets itself, never copied from the environment as they are (a genericOAuth
 * provider's client id is named by the config, and never in the generic env list either).
 */
export const SOCIAL_VARS: ReadonlySet<string> = new Set([
  "AUTHFORM_SOCIAL_LOOPBACK",
  ...SOCIAL_PROVIDER_IDS.map((id) => SOCIAL_PROVIDERS[id].clientIdVar),
]);

export interface SocialSignInPlan {
  providers: SocialProviderPlan[];
  vars: Record<string, string>;
  secrets: SecretSpec[];
  notes: string[];
}

export function planSocialSignIn(
  config: ResolvedConfig,
  lookup: (name: string) => string | undefined,
  env: Record<string, string | undefined>,
  mode: Mode,
  authOrigin: string,
): SocialSignInPlan {
  const loopback = loopbackOrigins(config, env, mode);
  const plan: SocialSignInPlan = { providers: [], vars: {}, secrets: [], notes: [] };
  const providers = [
    ...SOCIAL_PROVIDER_IDS.filter((id) => config.auth.socialProviders[id]).map((id) => ({
      id,
      ...SOCIAL_PROVIDERS[id],
    })),
    ...config.auth.genericOAuth.map((p) => ({
      id: p.providerId,
      label: p.name ?? p.providerId,
      ...genericProviderVars(p.providerId),
      dashboard: "your provider's OAuth client settings → Redirect URIs",
    })),
  ];
  refuseLoopbackDiscovery(config, mode);
  for (const info of providers) {
    const id = info.id;
    const clientId = lookup(info.clientIdVar);
    const secret = nonEmpty(env[info.clientSecretVar]);
    if (clientId !== undefined) plan.vars[info.clientIdVar] = clientId;
    if (secret !== undefined) plan.secrets.push({ name: info.clientSecretVar, source: "env" });
    const credentials = clientId !== undefined && secret !== undefined;
    // A deploy without them stopped at requiredVars; locally the stack runs without the provider.
    if (!credentials) {
      plan.notes.push(
        `${info.label} sign-in is off on this local stack: set ${info.clientIdVar} and ${info.clientSecretVar} to turn it on.`,
      );
    }
    plan.providers.push({
      id,
      callbackUrl: socialCallbackUrl(authOrigin, "/auth/v1", id),
      dashboard: info.dashboard,
      credentials,
      ...(loopback[id as SocialProviderId] ? { loopback: loopback[id as SocialProviderId] } : {}),
    });
  }
  const entries = Object.entries(loopback);
  if (entries.length > 0)
    plan.vars.AUTHFORM_SOCIAL_LOOPBACK = entries.map(([id, o]) => `${id}=${o}`).join(",");
  return plan;
}

/** A discovery document on loopback is a local stand-in: a deployed Worker cannot reach it. */
function refuseLoopbackDiscovery(config: ResolvedConfig, mode: Mode): void {
  if (mode !== "deploy") return;
  const local = config.auth.genericOAuth.filter((p) => isLoopbackUrl(p.discoveryUrl));
  if (local.length === 0) return;
  throw new GenericOAuthPlanError(
    local.map(
      (p) =>
        `${p.providerId}: discoveryUrl ${p.discoveryUrl} is on loopback, which only a local stack can reach. Use the provider's https discovery URL to deploy.`,
    ),
  );
}

/** AUTHFORM_SOCIAL_LOOPBACK, checked: local mode only, loopback origins, configured providers. */
function loopbackOrigins(
  config: ResolvedConfig,
  env: Record<string, string | undefined>,
  mode: Mode,
): Partial<Record<SocialProviderId, string>> {
  const value = nonEmpty(env.AUTHFORM_SOCIAL_LOOPBACK);
  if (value === undefined) return {};
  if (mode === "deploy") {
    throw new SocialLoopbackError([
      "AUTHFORM_SOCIAL_LOOPBACK is set, but it exists only for local mode and tests: a deployed Worker talks to the real providers. Unset it to deploy.",
    ]);
  }
  const parsed = parseSocialLoopback(value);
  if ("problems" in parsed) throw new SocialLoopbackError(parsed.problems);
  const unconfigured = Object.keys(parsed.origins).filter(
    (id) => !config.auth.socialProviders[id as SocialProviderId],
  );
  if (unconfigured.length > 0) {
    throw new SocialLoopbackError(unconfigured.map((id) => `"${id}" is not in the config's socialProviders`));
  }
  return parsed.origins;
}
