/** emailOtp: Better Auth's email one-time codes (sign-in, verification, password reset, a guest's address), codes stored keyed-hashed. */
import { emailOTP } from "better-auth/plugins/email-otp";
import { emailBrand, otpEmail } from "../../../email/templates/index.ts";
import { postAlias } from "../../../reference/alias.ts";
import { jsonBody } from "../../../reference/openapi.ts";
import type { PluginModule } from "../../../spec.ts";
import { guestEmailByCode } from "./guest-email-by-code.ts";
import { emailOtpSettings } from "./options.ts";
import { keyedOtpHasher } from "./otp-hash.ts";
import { verifyOtpRoute } from "./routes.ts";

export const emailOtpPlugin: PluginModule = {
  audit: { signIns: { "/sign-in/email-otp": "otp" } },
  betterAuth: ({ env, email, emailAfterResponse, options }) => {
    const settings = emailOtpSettings(options);
    const brand = emailBrand(env);
    return [
      guestEmailByCode(),
      emailOTP({
        otpLength: 6,
        expiresIn: settings.expiresIn,
        allowedAttempts: settings.allowedAttempts,
        storeOTP: keyedOtpHasher(env.BETTER_AUTH_SECRET),
        // For guests only (guest-email-by-code.ts): a placeholder address has no code to ask for.
        changeEmail: { enabled: true, verifyCurrentEmail: false },
        async sendVerificationOTP({ email: to, otp, type }) {
          // A reset code goes to known addresses only: answered before the send, as an unknown address is.
          const sender = type === "forget-password" ? emailAfterResponse : email;
          await sender.send({
            kind: "otp",
            to,
            ...otpEmail(brand, { otp, purpose: type, expiresInSeconds: settings.expiresIn }),
            secretPreview: otp,
          });
        },
      }),
    ];
  },
  routes: verifyOtpRoute,
  reference: (served) =>
    postAlias(
      served,
      "/email-otp/verify-otp",
      { path: "/sign-in/email-otp", method: "post" },
      'Type "sign-in" (default) signs in, "email-verification" verifies the address (as /email-otp/verify-email), "forget-password" checks a reset code (as /email-otp/check-verification-otp).',
      jsonBody({
        type: "object",
        properties: {
          email: { type: "string" },
          otp: { type: "string" },
          type: { type: "string", enum: ["sign-in", "email-verification", "forget-password"] },
        },
        required: ["email", "otp"],
      }),
    ),
};
