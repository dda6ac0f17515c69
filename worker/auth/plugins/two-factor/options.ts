/** The twoFactor plugin's settings: the config's options over authform's defaults. */

export interface TwoFactorSettings {
  /** The name authenticator apps list the code under; undefined: Better Auth's appName (APP_NAME). */
  issuer?: string;
}

export function twoFactorSettings(options: Record<string, unknown>): TwoFactorSettings {
  const issuer = typeof options.issuer === "string" ? options.issuer.trim() : "";
  return issuer ? { issuer } : {};
}
