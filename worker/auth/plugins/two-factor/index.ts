/** twoFactor: Better Auth's TOTP and backup codes after every one-factor sign-in, each TOTP code usable once, enrollment required when the config says so. */
import { twoFactor } from "better-auth/plugins/two-factor";
import { emailBrand, otpEmail } from "../../../email/templates/index.ts";
import type { PluginModule } from "../../../spec.ts";
import { emailedCodeGuard } from "./emailed-code.ts";
import { enrollmentRequiredGuard } from "./enrollment-required.ts";
import { secondFactorOnEverySignIn } from "./every-sign-in.ts";
import { twoFactorSettings } from "./options.ts";
import { totpReplayGuard } from "./totp-replay.ts";
import { turnOffRules } from "./turn-off-rules.ts";

/** How long an emailed second-factor code works (Better Auth's default, 3 minutes). */
const EMAILED_CODE_MINUTES = 3;

export const twoFactorPlugin: PluginModule = {
  audit: {
    signIns: {
      "/two-factor/verify-totp": "two-factor",
      "/two-factor/verify-otp": "two-factor",
      "/two-factor/verify-backup-code": "two-factor",
    },
    ownActions: { "/two-factor/enable": "two-factor.enable", "/two-factor/disable": "two-factor.disable" },
  },
  betterAuth: ({ env, email, options }) => {
    const { issuer, required } = twoFactorSettings(options);
    const brand = emailBrand(env);
    // An emailed code as the second factor, through the stack's email sender (emailed-code.ts).
    const otpOptions = {
      period: EMAILED_CODE_MINUTES,
      async sendOTP({ user, otp }: { user: { email: string }; otp: string }) {
        await email.send({
          kind: "otp",
          to: user.email,
          ...otpEmail(brand, { otp, purpose: "sign-in", expiresInSeconds: EMAILED_CODE_MINUTES * 60 }),
          secretPreview: otp,
        });
      },
    };
    return [
      // Better Auth's defaults otherwise: 10 encrypted backup codes, enabling takes the password
      // (disabling: the password, or a recent sign-in without one: turn-off-rules.ts), a pending sign-in lives 10 minutes and takes 5 wrong codes, 10 in a row lock 2FA
      // sign-in for 15 minutes. Every one-factor sign-in asks for the second factor (a passkey is two).
      secondFactorOnEverySignIn(
        twoFactor({ ...(issuer ? { issuer } : {}), otpOptions, allowPasswordless: true }),
        env.ACCOUNT_URL,
      ),
      turnOffRules(),
      emailedCodeGuard(),
      totpReplayGuard(env.DB),
      // `required: true`: a signed-in user without two-factor may only enroll.
      ...(required ? [enrollmentRequiredGuard(env.ACCOUNT_URL)] : []),
    ];
  },
};
