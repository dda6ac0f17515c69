/** parseConfig: validates a config (every problem at once) and resolves it: defaults, plugin forms, auto-includes. */
import { PLUGIN_NAMES, PLUGINS, type PluginName } from "../contract/plugins.ts";
import { SOCIAL_PROVIDER_IDS } from "../contract/social-providers.ts";
import { passwordSignInOff } from "./auth-schema.ts";
import { ConfigError, DEFAULT_SOURCE } from "./errors.ts";
import { humanize, toConfigIssues } from "./messages.ts";
import { defaultPluginOptions } from "./plugin-options/index.ts";
import type { PluginSelection } from "./rules.ts";
import {
  configSchema,
  DEFAULT_COMPATIBILITY_DATE,
  DEFAULT_PRODUCTION_STAGES,
  type ParsedConfig,
} from "./schema.ts";
import type { ResolvedConfig } from "./types.ts";

/** Switches on what the chosen plugins pull in (oauthProvider → jwt), and records why each came. */
function resolvePlugins(
  selection: PluginSelection,
): Pick<ResolvedConfig["auth"], "plugins" | "autoIncluded"> {
  const enabled = new Map<PluginName, Record<string, unknown>>(
    PLUGIN_NAMES.flatMap((name) => {
      const options = selection.on[name];
      return options ? [[name, options] as const] : [];
    }),
  );
  const autoIncluded: ResolvedConfig["auth"]["autoIncluded"] = {};
  // A queue, so an auto-included plugin's own auto-includes are honoured too.
  const queue = [...enabled.keys()];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    for (const included of PLUGINS[name].autoIncludes ?? []) {
      if (enabled.has(included)) continue;
      enabled.set(included, defaultPluginOptions(included));
      autoIncluded[included] = name;
      queue.push(included);
    }
  }
  // Catalogue order, so the same plugins give the same plan and the same generated Worker.
  const plugins: ResolvedConfig["auth"]["plugins"] = {};
  for (const name of PLUGIN_NAMES) {
    const options = enabled.get(name);
    if (options) plugins[name] = options;
  }
  return { plugins, autoIncluded };
}

function fastPathOf(
  jwt: ParsedConfig["providers"]["auth"]["options"]["jwt"],
): ResolvedConfig["auth"]["fastPath"] {
  const fastPath: ResolvedConfig["auth"]["fastPath"] = {};
  if (jwt?.expiresIn !== undefined) fastPath.expiresInSeconds = jwt.expiresIn;
  if (jwt?.issuer !== undefined) fastPath.issuer = jwt.issuer;
  if (jwt?.audience !== undefined) fastPath.audience = jwt.audience;
  if (jwt?.secretEnv !== undefined) fastPath.secretEnv = jwt.secretEnv;
  return fastPath;
}

/** The configured providers in catalogue order, so the same config gives the same plan. */
function socialProvidersOf(
  given: ParsedConfig["providers"]["auth"]["options"]["socialProviders"],
): ResolvedConfig["auth"]["socialProviders"] {
  const resolved: ResolvedConfig["auth"]["socialProviders"] = {};
  for (const id of SOCIAL_PROVIDER_IDS) {
    const options = given?.[id];
    if (!options) continue;
    resolved[id] = {
      ...(options.scope ? { scope: [...options.scope] } : {}),
      ...("tenantId" in options ? { tenantId: options.tenantId } : {}),
    };
  }
  return resolved;
}

/** The oauthProxy option with its origins deduplicated; defaults that need the stage are the plan's. */
function oauthProxyOf(
  given: ParsedConfig["providers"]["auth"]["options"]["oauthProxy"],
): Pick<ResolvedConfig["auth"], "oauthProxy"> {
  if (!given) return {};
  return {
    oauthProxy: {
      ...(given.stage === undefined ? {} : { stage: given.stage }),
      ...(given.url === undefined ? {} : { url: given.url }),
      previewOrigins: [...new Set(given.previewOrigins ?? [])],
    },
  };
}

/** The runtime's domains with the account hostname defaulted to the API's, and its extra trusted origins. */
function resolveDomains(
  options: NonNullable<ParsedConfig["providers"]["runtime"]>["options"] | undefined,
): Pick<ResolvedConfig["runtime"], "domains" | "cookieDomain" | "trustedOrigins"> {
  const resolved: Pick<ResolvedConfig["runtime"], "domains" | "cookieDomain" | "trustedOrigins"> = {};
  const domains = options?.domains;
  if (domains) {
    resolved.domains = { api: domains.api, account: domains.account ?? domains.api };
    if (domains.zone !== undefined) resolved.domains.zone = domains.zone;
    if (domains.mount === "routes") resolved.domains.mount = "routes";
  }
  if (options?.cookieDomain !== undefined) resolved.cookieDomain = options.cookieDomain;
  // Already normalised by the schema, so "https://A.com:443" and "https://a.com" are one entry here.
  if (options?.trustedOrigins?.length) resolved.trustedOrigins = [...new Set(options.trustedOrigins)];
  return resolved;
}

function resolve(config: ParsedConfig): ResolvedConfig {
  const { runtime, database, auth, storage } = config.providers;
  const resolved: ResolvedConfig = {
    name: config.name,
    runtime: {
      provider: "cloudflare",
      compatibilityDate: runtime?.options.compatibilityDate ?? DEFAULT_COMPATIBILITY_DATE,
      productionStages: [...(runtime?.options.productionStages ?? DEFAULT_PRODUCTION_STAGES)],
      ...resolveDomains(runtime?.options),
    },
    database: { provider: "cloudflare-d1", vars: { ...database?.options.vars } },
    auth: {
      emailAndPassword: auth.options.emailAndPassword ?? passwordSignInOff(),
      emailAndPasswordStated: auth.options.emailAndPassword !== undefined,
      ...resolvePlugins(auth.options.plugins),
      email: { provider: auth.options.email.provider },
      fastPath: fastPathOf(auth.options.jwt),
      audit: { retentionDays: auth.options.audit.retentionDays },
      webhooks: auth.options.webhooks ?? [],
      socialProviders: socialProvidersOf(auth.options.socialProviders),
      genericOAuth: (auth.options.genericOAuth ?? []).map((p) => ({
        ...p,
        ...(p.scopes ? { scopes: [...p.scopes] } : {}),
      })),
      trustedProviders: [...new Set(auth.options.accountLinking?.trustedProviders ?? [])],
      reference: auth.options.reference,
      ...oauthProxyOf(auth.options.oauthProxy),
    },
  };
  if (storage) resolved.storage = { provider: "cloudflare-kv", options: storage.options };
  return resolved;
}

/**
 * Validates a config and resolves it. Throws a ConfigError listing every problem at once.
 *
 * @example
 * // the seed's passkey config
 * const config = parseConfig(defineConfig({ name: "app", providers: { auth: defineAuth("better-auth", { plugins: ["passkey"] }) } }));
 * config.auth.plugins; // { passkey: {} }
 */
export function parseConfig(input: unknown, source: string = DEFAULT_SOURCE): ResolvedConfig {
  const result = configSchema.safeParse(input, { error: humanize, reportInput: true });
  if (!result.success) throw new ConfigError(toConfigIssues(result.error), source);
  return resolve(result.data);
}
