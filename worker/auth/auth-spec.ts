/** What createAuth needs from the generated spec: the manifest and each enabled plugin's Better Auth part. */
import type { BetterAuthOptions, BetterAuthPlugin } from "better-auth";
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

/** The Better Auth options social sign-in sets (worker/auth/social/index.ts). */
export interface SocialOptions {
  socialProviders: NonNullable<BetterAuthOptions["socialProviders"]>;
  account: NonNullable<BetterAuthOptions["account"]>;
  onAPIError: BetterAuthOptions["onAPIError"];
  /** Origins that post to a callback (Apple's form_post), trusted besides the stack's own. */
  trustedOrigins: string[];
  /** Better Auth's genericOAuth plugin, when the config has generic providers. */
  plugins: BetterAuthPlugin[];
}

/** Social sign-in's runtime: bundled only when the config has socialProviders or genericOAuth. */
export interface SocialSignIn {
  betterAuth(env: WorkerEnv, manifest: RuntimeManifest): SocialOptions;
  /** After the instance is built: local mode's loopback stand-ins. */
  attach(
    auth: {
      $context: Promise<{
        socialProviders: { createAuthorizationURL(...args: never[]): Promise<URL> | URL }[];
      }>;
    },
    env: WorkerEnv,
  ): void;
  /** The providers this Worker can sign in with (configured and given credentials), as /login's buttons. */
  buttons(env: WorkerEnv, manifest: RuntimeManifest): { id: string; label: string }[];
  /** Those providers' marks as SVG symbols, for the Account pages' shell. */
  iconSprite(env: WorkerEnv, manifest: RuntimeManifest): string;
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
  social?: SocialSignIn;
}
