/**
 * `authform/client`: Better Auth's client wired with exactly the client plugins a config enables, plus
 * authform's /api/v1. Calling a plugin the config does not enable is a type error.
 *
 * @example
 * import { createAuthformClient } from "authform/client";
 * import config from "../quickback.config.ts";
 * const auth = createAuthformClient({ baseURL: "https://api.example.com", config });
 * await auth.signIn.email({ email, password });
 * const me = await auth.me();
 */
import { createAuthClient } from "better-auth/client";
import type { AuthformConfigInput } from "../config/types.ts";
import type { PluginName } from "../contract/plugins.ts";
import { apiV1 } from "./api-v1.ts";
import {
  CLIENT_PLUGINS,
  type ClientPluginsFor,
  type DeclaredPlugins,
  type EnabledPlugins,
  enabledPlugins,
} from "./plugins.ts";

export type { ApiAuth, FastPathToken, SystemStatus } from "./api-v1.ts";
export { AuthformApiError } from "./api-v1.ts";

/** The plugin declaration of a config (either form of `plugins`), as defineAuth recorded it. */
type PluginsOf<C> = C extends { providers: { auth: { readonly $plugins?: infer P } } } ? P : never;

/** The plugin names a config enables, auto-includes added. */
export type ConfigPlugins<C> = EnabledPlugins<DeclaredPlugins<PluginsOf<C>>>;

type ClientFor<N extends PluginName> = ReturnType<
  typeof createAuthClient<{ baseURL: string; plugins: ClientPluginsFor<N> }>
>;

export type AuthformClient<N extends PluginName> = ClientFor<N> & ReturnType<typeof apiV1>;

interface CommonOptions {
  /** The stack's API origin (API_URL), e.g. "https://api.example.com". */
  baseURL: string;
  /** Called when a password sign-in needs the second factor (two-factor enabled). */
  onTwoFactorRedirect?: () => void | Promise<void>;
  /** A fetch to use instead of the global one (tests, server-side callers with their own cookie jar). */
  fetch?: typeof fetch;
}

/** From the config itself: its whole object goes into your bundle (it holds env names, never secrets). */
export function createAuthformClient<const C extends AuthformConfigInput>(
  options: CommonOptions & { config: C },
): AuthformClient<ConfigPlugins<C>>;
/** From the plugin list alone (e.g. `["passkey", "emailOtp"] as const`), when the app should not ship the config. */
export function createAuthformClient<const P extends readonly PluginName[]>(
  options: CommonOptions & { plugins: P },
): AuthformClient<EnabledPlugins<P[number]>>;
export function createAuthformClient(
  options: CommonOptions & { config?: AuthformConfigInput; plugins?: readonly PluginName[] },
): unknown {
  const declared = options.plugins ?? options.config?.providers.auth?.options?.plugins ?? [];
  const baseURL = options.baseURL.replace(/\/+$/, "");
  const plugins = enabledPlugins(declared).map((name) =>
    name === "twoFactor"
      ? CLIENT_PLUGINS.twoFactor(
          options.onTwoFactorRedirect ? { onTwoFactorRedirect: options.onTwoFactorRedirect } : undefined,
        )
      : (CLIENT_PLUGINS[name] as () => ReturnType<(typeof CLIENT_PLUGINS)[typeof name]>)(),
  );
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const auth = createAuthClient({
    baseURL: `${baseURL}/auth/v1`,
    plugins,
    ...(options.fetch ? { fetchOptions: { customFetchImpl: options.fetch } } : {}),
  });
  // Better Auth's client is a proxy that turns any property into a request path, so authform's own
  // methods are served by a proxy in front of it rather than assigned onto it.
  const own: Record<string | symbol, unknown> = apiV1(baseURL, fetchImpl);
  return new Proxy(auth, {
    get: (target, property, receiver) =>
      Object.hasOwn(own, property) ? own[property] : Reflect.get(target, property, receiver),
  });
}
