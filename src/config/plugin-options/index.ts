/**
 * Each plugin's options (object form), keyed by its catalogue name (src/contract/plugins.ts). A plugin
 * not listed takes none: `true`, `false` or `{}`. Kept on the config side, not in the catalogue, so the
 * Worker (which reads the catalogue) bundles no option schemas.
 */
import type * as z from "zod";
import type { PluginName } from "../../contract/plugins.ts";
import { adminOptions } from "./admin.ts";
import { apiKeyOptions } from "./api-key.ts";
import { emailOtpOptions } from "./email-otp.ts";
import { magicLinkOptions } from "./magic-link.ts";
import { oauthProviderOptions } from "./oauth-provider.ts";
import { passkeyOptions } from "./passkey.ts";
import { twoFactorOptions } from "./two-factor.ts";

export const PLUGIN_OPTIONS = {
  emailOtp: emailOtpOptions,
  magicLink: magicLinkOptions,
  passkey: passkeyOptions,
  apiKey: apiKeyOptions,
  oauthProvider: oauthProviderOptions,
  twoFactor: twoFactorOptions,
  admin: adminOptions,
} satisfies Partial<Record<PluginName, z.ZodType<Record<string, unknown>>>>;

/** A plugin's option schema, or undefined when it takes none. */
export function optionsOf(name: PluginName): z.ZodType<Record<string, unknown>> | undefined {
  return (PLUGIN_OPTIONS as Partial<Record<PluginName, z.ZodType<Record<string, unknown>>>>)[name];
}

/**
 * The options a plugin gets when a config names it without any: its schema's defaults. `{}` for a
 * plugin that has required options (admin); `requiresOptions` says so, and the schema reports it.
 */
export function defaultPluginOptions(name: PluginName): Record<string, unknown> {
  const parsed = optionsOf(name)?.safeParse({});
  return parsed?.success ? parsed.data : {};
}

/** Whether a plugin cannot be switched on without options (`["admin"]`, `admin: true`). */
export function requiresOptions(name: PluginName): boolean {
  return optionsOf(name)?.safeParse({}).success === false;
}
