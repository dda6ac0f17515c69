/** The emailOtp plugin's settings: the config's options over authform's defaults. */

export interface EmailOtpSettings {
  /** Seconds a code stays valid. */
  expiresIn: number;
  /** Wrong guesses allowed before the code is burnt. */
  allowedAttempts: number;
}

export const EMAIL_OTP_DEFAULTS: EmailOtpSettings = { expiresIn: 300, allowedAttempts: 3 };

export function emailOtpSettings(options: Record<string, unknown>): EmailOtpSettings {
  return {
    expiresIn: positiveInt(options.expiresIn) ?? EMAIL_OTP_DEFAULTS.expiresIn,
    allowedAttempts: positiveInt(options.allowedAttempts) ?? EMAIL_OTP_DEFAULTS.allowedAttempts,
  };
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}
