/** What createAuth needs from the generated spec: the manifest and each enabled plugin's Better Auth part. */
import type { BetterAuthPlugin } from "better-auth";
import type { RuntimeManifest } from "../../src/contract/manifest.ts";
import type { PluginName } from "../../src/contract/plugins.ts";
import type { PluginAudit } from "../audit/event-types.ts";
import type { EmailSender } from "../email/types.ts";
import type { WorkerEnv } from "../env.ts";

export interface PluginContext {
  env: WorkerEnv;
  manifest: RuntimeManifest;
  /** This plugin's options from the config (`{}` for defaults). */
  options: Record<string, unknown>;
  /** Where the plugin's emails go (the transport the plan chose). */
  email: EmailSender;
}

/**
 * A narrower view of WorkerSpec (worker/spec.ts), so building Better Auth does not depend on the
 * plugins' routes, whose context hands out the built instance.
 */
export interface AuthSpec {
  manifest: RuntimeManifest;
  plugins: Partial<
    Record<PluginName, { betterAuth(ctx: PluginContext): BetterAuthPlugin[]; audit?: PluginAudit }>
  >;
  /** auth.oauthProxy's runtime (worker/auth/social/oauth-proxy/), present only in a stage that uses it. */
  oauthProxy?: { betterAuth(env: WorkerEnv, manifest: RuntimeManifest): BetterAuthPlugin[] };
}
