/** The passkey plugin's settings: the config's options over authform's defaults. */

export type UserVerification = "required" | "preferred";

export interface PasskeySettings {
  /** "required": the Worker refuses a ceremony whose authenticator did not verify the user. */
  userVerification: UserVerification;
}

export const PASSKEY_DEFAULTS: PasskeySettings = { userVerification: "preferred" };

export function passkeySettings(options: Record<string, unknown>): PasskeySettings {
  return {
    userVerification:
      options.userVerification === "required" || options.userVerification === "preferred"
        ? options.userVerification
        : PASSKEY_DEFAULTS.userVerification,
  };
}
