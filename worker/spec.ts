/** What a generated entry hands the runtime: the manifest and the enabled plugins' modules. */
import type { BetterAuthPlugin } from "better-auth";
import type { Hono } from "hono";
import type { RuntimeManifest } from "../src/contract/manifest.ts";
import type { PluginName } from "../src/contract/plugins.ts";
import type { AccountAssets } from "./account/types.ts";
import type { PluginAudit } from "./audit/event-types.ts";
import type { PluginContext, SocialSignIn } from "./auth/auth-spec.ts";
import type { Auth } from "./auth/create-auth.ts";
import type { WorkerEnv } from "./env.ts";
import type { OpenApiPaths } from "./reference/openapi.ts";

export type { PluginContext, RuntimeManifest };

export type AppEnv = { Bindings: WorkerEnv };

export interface RouteContext {
  spec: WorkerSpec;
  /** The isolate's Better Auth instance, for routes that call its API or handler. */
  auth(env: WorkerEnv): Auth;
}

/**
 * A plugin's runtime module (worker/auth/plugins/<kebab-name>/index.ts, exporting `<name>Plugin`):
 * the Better Auth plugins it contributes, and any routes outside Better Auth's router
 * (seed-path aliases, root discovery documents). Those routes are registered before
 * Better Auth's catch-all, so they win.
 */
export interface PluginModule {
  betterAuth(ctx: PluginContext): BetterAuthPlugin[];
  routes?(app: Hono<AppEnv>, ctx: RouteContext): void;
  /** The plugin's endpoints the audit log records (worker/audit/). */
  audit?: PluginAudit;
  /**
   * OpenAPI path items for the routes `routes` adds (worker/reference/), keyed by served path;
   * `paths` holds Better Auth's, so an alias can reuse the operation it forwards to.
   */
  reference?(served: { basePath: string; paths: OpenApiPaths }): OpenApiPaths;
}

/** auth.oauthProxy's runtime (worker/auth/social/oauth-proxy/): its Better Auth plugins and its routes. */
export interface OAuthProxyModule {
  betterAuth(env: WorkerEnv, manifest: RuntimeManifest): BetterAuthPlugin[];
  routes(app: Hono<AppEnv>, manifest: RuntimeManifest): void;
}

export interface WorkerSpec {
  manifest: RuntimeManifest;
  plugins: Partial<Record<PluginName, PluginModule>>;
  /** Social sign-in (worker/auth/social/index.ts); absent when the config has no providers. */
  social?: SocialSignIn;
  /** The built Account SPA (src/generate/account-assets.ts), served at /login, /consent, /account, ... */
  account?: AccountAssets;
  /** The OpenAPI reference's routes (worker/reference/routes.ts); absent when the config turns it off. */
  reference?(app: Hono<AppEnv>, ctx: RouteContext): void;
  /** Social sign-in through a stable stage (auth.oauthProxy); absent when the stage does not use it. */
  oauthProxy?: OAuthProxyModule;
}
