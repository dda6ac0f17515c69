/** The typed helpers a config file imports: plain identity wrappers, checked by parseConfig. */

import type { PluginName } from "../contract/plugins.ts";
import type {
  AuthformConfigInput,
  AuthOptionsInput,
  AuthProvider,
  DatabaseOptionsInput,
  DatabaseProvider,
  PluginOptionsInput,
  RuntimeOptionsInput,
  RuntimeProvider,
  StorageOptionsInput,
  StorageProvider,
} from "./types.ts";

/**
 * Declares an authform stack.
 *
 * @example
 * // email + password and passkeys, on Cloudflare D1
 * export default defineConfig({
 *   name: "my-app",
 *   providers: {
 *     runtime: defineRuntime("cloudflare"),
 *     database: defineDatabase("cloudflare-d1"),
 *     auth: defineAuth("better-auth", { plugins: ["passkey"] }),
 *   },
 * });
 */
export function defineConfig<A extends AuthProvider>(
  config: AuthformConfigInput & { providers: { auth: A } },
): AuthformConfigInput & { providers: { auth: A } } {
  // Generic over the auth provider only, so the config keeps defineAuth's literal plugin list for
  // `authform/client` while every other key is still checked against the config's types.
  return config;
}

export function defineRuntime(provider: "cloudflare", options: RuntimeOptionsInput = {}): RuntimeProvider {
  return { kind: "runtime", provider, options };
}

export function defineDatabase(
  provider: "cloudflare-d1",
  options: DatabaseOptionsInput = {},
): DatabaseProvider {
  return { kind: "database", provider, options };
}

export function defineAuth<const P extends PluginsInput = never>(
  provider: "better-auth",
  options: AuthOptionsInput & { plugins?: P } = {},
): AuthProvider & { readonly $plugins?: P } {
  // `$plugins` exists only in the type: it carries the literal plugin list to `authform/client`.
  return { kind: "auth", provider, options };
}

/** Either form of `plugins`. A typo among other object-form keys passes the types; parseConfig names it. */
type PluginsInput = PluginName[] | PluginOptionsInput;

export function defineStorage(provider: "cloudflare-kv", options: StorageOptionsInput = {}): StorageProvider {
  return { kind: "storage", provider, options };
}
