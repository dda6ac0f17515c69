/** The typed helpers a config file imports: plain identity wrappers, checked by parseConfig. */
import type {
  AuthformConfigInput,
  AuthOptionsInput,
  AuthProvider,
  DatabaseOptionsInput,
  DatabaseProvider,
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
export function defineConfig(config: AuthformConfigInput): AuthformConfigInput {
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

export function defineAuth(provider: "better-auth", options: AuthOptionsInput = {}): AuthProvider {
  return { kind: "auth", provider, options };
}

export function defineStorage(provider: "cloudflare-kv", options: StorageOptionsInput = {}): StorageProvider {
  return { kind: "storage", provider, options };
}
