/** The twoFactor plugin's settings: the config's options over authform's defaults. */
import type { RuntimeManifest } from "../../../../src/contract/manifest.ts";

export interface TwoFactorSettings {
  /** The name authenticator apps list the code under; undefined: Better Auth's appName (APP_NAME). */
  issuer?: string;
  /** Whether every user must turn two-factor on before doing anything else (enrollment-required.ts). */
  required: boolean;
}

export function twoFactorSettings(options: Record<string, unknown>): TwoFactorSettings {
  const issuer = typeof options.issuer === "string" ? options.issuer.trim() : "";
  return { ...(issuer ? { issuer } : {}), required: options.required === true };
}

/** Whether this stack holds signed-in users without two-factor to enrollment only. */
export function enrollmentRequired(manifest: RuntimeManifest): boolean {
  const options = manifest.plugins.twoFactor;
  return options !== undefined && twoFactorSettings(options).required;
}

/**
 * A user who still has to turn two-factor on, on a stack that requires it. Guests are not held:
 * they have no password to enroll with, and saving the account is their way on.
 */
export function mustEnroll(manifest: RuntimeManifest, user: object): boolean {
  return enrollmentRequired(manifest) && !enrolledOrGuest(user);
}

export function enrolledOrGuest(user: object): boolean {
  const { twoFactorEnabled, isAnonymous } = user as { twoFactorEnabled?: unknown; isAnonymous?: unknown };
  return twoFactorEnabled === true || isAnonymous === true;
}
