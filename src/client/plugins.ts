/**
 * Each catalogue plugin's Better Auth client plugin, so the typed client carries exactly the plugins a
 * config enables. A plugin added to the catalogue gets its entry here (test/client/plugins.test.ts).
 */
import { apiKeyClient } from "@better-auth/api-key/client";
import { oauthProviderClient } from "@better-auth/oauth-provider/client";
import { passkeyClient } from "@better-auth/passkey/client";
import type { BetterAuthClientPlugin } from "better-auth/client";
import {
  type AdminClientOptions,
  adminClient,
  anonymousClient,
  emailOTPClient,
  jwtClient,
  magicLinkClient,
  type OrganizationClientOptions,
  organizationClient,
  twoFactorClient,
} from "better-auth/client/plugins";
import type { PluginName } from "../contract/plugins.ts";
import { upgradeAnonymousClient } from "./upgrade-anonymous.ts";

export const CLIENT_PLUGINS = {
  emailOtp: emailOTPClient,
  anonymous: anonymousClient,
  upgradeAnonymous: upgradeAnonymousClient,
  magicLink: magicLinkClient,
  passkey: passkeyClient,
  jwt: jwtClient,
  apiKey: apiKeyClient,
  organization: organizationClient,
  oauthProvider: oauthProviderClient,
  // The challenge step after a password sign-in is the app's to show: it passes onTwoFactorRedirect.
  twoFactor: twoFactorClient,
  admin: adminClient,
} satisfies Record<PluginName, (...args: never[]) => unknown>;

/** What enabling a plugin brings along (the catalogue's `autoIncludes`, kept literal for the types). */
export const AUTO_INCLUDES = {
  organization: ["apiKey"],
  oauthProvider: ["jwt"],
} as const satisfies Partial<Record<PluginName, readonly PluginName[]>>;

/** The names a config's `plugins` declares: array form, or object form minus those set to `false`. */
export type DeclaredPlugins<P> = P extends readonly (infer N extends PluginName)[]
  ? N
  : P extends Partial<Record<PluginName, unknown>>
    ? { [K in keyof P & PluginName]: P[K] extends false | undefined ? never : K }[keyof P & PluginName]
    : never;

/** Declared plugins plus what they auto-include. */
export type EnabledPlugins<N extends PluginName> =
  | N
  | { [K in N & keyof typeof AUTO_INCLUDES]: (typeof AUTO_INCLUDES)[K][number] }[N &
      keyof typeof AUTO_INCLUDES];

/**
 * The client plugin objects for a set of names, as the array Better Auth's client infers its methods
 * from (it takes the union of the array's element types and merges their actions and endpoints).
 */
export type ClientPluginsFor<N extends PluginName> = Array<
  // Extract, not `&`: intersecting with BetterAuthClientPlugin would widen every action to `any`.
  Extract<{ [K in N]: ClientPluginTypes[K] }[N], BetterAuthClientPlugin>
>;

/** Each factory's plugin object; generic factories taken at their defaults (authform passes none). */
type ClientPluginTypes = Omit<
  { [K in keyof typeof CLIENT_PLUGINS]: ReturnType<(typeof CLIENT_PLUGINS)[K]> },
  "organization" | "admin"
> & {
  organization: ReturnType<typeof organizationClient<OrganizationClientOptions>>;
  admin: ReturnType<typeof adminClient<AdminClientOptions>>;
};

/** The enabled names at run time, from the same declaration (auto-includes added, catalogue order kept). */
export function enabledPlugins(
  declared: readonly PluginName[] | Partial<Record<PluginName, unknown>>,
): PluginName[] {
  const names = new Set<PluginName>(
    Array.isArray(declared)
      ? declared
      : (Object.entries(declared) as [PluginName, unknown][])
          .filter(([, value]) => value !== false && value !== undefined)
          .map(([name]) => name),
  );
  for (const name of [...names]) {
    for (const extra of (AUTO_INCLUDES as Partial<Record<PluginName, readonly PluginName[]>>)[name] ?? [])
      names.add(extra);
  }
  return (Object.keys(CLIENT_PLUGINS) as PluginName[]).filter((name) => names.has(name));
}
