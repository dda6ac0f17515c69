/** Better Auth's socialProviders and account linking, from the manifest and the Worker's vars and secrets. */
import type { RuntimeManifest } from "../../../src/contract/manifest.ts";
import {
  genericProviderVars,
  SOCIAL_PROVIDER_IDS,
  SOCIAL_PROVIDERS,
  type SocialProviderId,
} from "../../../src/contract/social-providers.ts";
import type { WorkerEnv } from "../../env.ts";

export interface SocialProviderSettings {
  clientId: string;
  clientSecret: string;
  scope?: string[];
  /** Microsoft: the Entra tenant in every endpoint's path. */
  tenantId?: string;
}

/** A genericOAuth provider, ready for Better Auth's genericOAuth plugin. */
export interface GenericProviderSettings {
  providerId: string;
  name: string;
  discoveryUrl: string;
  clientId: string;
  clientSecret: string;
  scopes?: string[];
}

/** A var or secret named by the catalogue (the plan gives the Worker exactly those it needs). */
function envValue(env: WorkerEnv, name: string): string | undefined {
  const value: unknown = (env as unknown as Record<string, unknown>)[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Each configured provider whose client id and secret the Worker has. A local stack without them
 * leaves the provider out (the plan said so); a deploy cannot get here without them.
 */
export function socialProviderSettings(
  env: WorkerEnv,
  manifest: RuntimeManifest,
): Partial<Record<SocialProviderId, SocialProviderSettings>> {
  const settings: Partial<Record<SocialProviderId, SocialProviderSettings>> = {};
  // Catalogue order, whatever order the manifest's keys arrive in: it orders the login buttons too.
  for (const id of SOCIAL_PROVIDER_IDS) {
    const options = manifest.socialProviders?.[id];
    if (!options) continue;
    const info = SOCIAL_PROVIDERS[id];
    const clientId = envValue(env, info.clientIdVar);
    const clientSecret = envValue(env, info.clientSecretVar);
    if (!clientId || !clientSecret) continue;
    settings[id] = {
      clientId,
      clientSecret,
      ...(options.scope ? { scope: options.scope } : {}),
      ...(options.tenantId ? { tenantId: options.tenantId } : {}),
    };
  }
  return settings;
}

/** Each genericOAuth provider whose client id and secret the Worker has, in config order. */
export function genericProviderSettings(
  env: WorkerEnv,
  manifest: RuntimeManifest,
): GenericProviderSettings[] {
  return (manifest.genericOAuth ?? []).flatMap((p) => {
    const { clientIdVar, clientSecretVar } = genericProviderVars(p.providerId);
    const clientId = envValue(env, clientIdVar);
    const clientSecret = envValue(env, clientSecretVar);
    if (!clientId || !clientSecret) return [];
    return [
      {
        providerId: p.providerId,
        name: p.name ?? p.providerId,
        discoveryUrl: p.discoveryUrl,
        clientId,
        clientSecret,
        ...(p.scopes ? { scopes: p.scopes } : {}),
      },
    ];
  });
}

/** The sign-in buttons: built-in providers in catalogue order, then the generic ones. */
export function signInProviders(env: WorkerEnv, manifest: RuntimeManifest): { id: string; label: string }[] {
  return [
    ...(Object.keys(socialProviderSettings(env, manifest)) as SocialProviderId[]).map((id) => ({
      id,
      label: SOCIAL_PROVIDERS[id].label,
    })),
    ...genericProviderSettings(env, manifest).map((p) => ({ id: p.providerId, label: p.name })),
  ];
}

/**
 * Where a failed social sign-in lands: the Account SPA's /login with `?error=<code>`, also when the
 * state is forged or replayed (the state holds the caller's errorCallbackURL, so without it Better
 * Auth would fall back to its own /error page). Only stacks with social providers set it.
 */
export function socialErrorPage(env: WorkerEnv, manifest: RuntimeManifest): { errorURL: string } | undefined {
  if (Object.keys(manifest.socialProviders ?? {}).length === 0 && !manifest.genericOAuth?.length)
    return undefined;
  return { errorURL: `${env.ACCOUNT_URL.replace(/\/+$/, "")}/login` };
}

/**
 * Linking a social sign-in to an existing user with the same email: only when the provider says
 * the email is verified (Better Auth reads "false" as false), or the config trusts the provider.
 * Tokens the providers hand out are stored encrypted with BETTER_AUTH_SECRET.
 */
export function accountOptions(manifest: RuntimeManifest) {
  // Better Auth's own default (requireLocalEmailVerified) also refuses to link to a local user who
  // never verified the address: whoever registered it first with a password is not handed the account.
  return {
    encryptOAuthTokens: true,
    accountLinking: {
      enabled: true,
      trustedProviders: [...(manifest.trustedProviders ?? [])],
      // Better Auth keeps the last account row; unlink-guard.ts keeps the last way to sign in instead.
      allowUnlinkingAll: true,
    },
  };
}
