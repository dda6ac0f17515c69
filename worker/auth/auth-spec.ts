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
  /**
   * The same transport, but the response does not wait for the send and a failure is only logged:
   * for a send that goes to known addresses only, whose timing would say which addresses have accounts.
   */
  emailAfterResponse: EmailSender;
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
}
