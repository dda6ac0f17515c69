/** The emails of email + password accounts: address verification and password reset, through the email layer. */
import type { BetterAuthOptions } from "better-auth";
import type { RuntimeManifest } from "../../src/contract/manifest.ts";
import type { WorkerEnv } from "../env.ts";
import { emailBrand, passwordResetEmail, verificationEmail } from "./templates/index.ts";
import type { EmailSender } from "./types.ts";

export function accountEmails(env: WorkerEnv, manifest: RuntimeManifest, email: EmailSender) {
  const brand = emailBrand(env);
  const emailVerification: BetterAuthOptions["emailVerification"] = {
    // With requireEmailVerification, sign-up sends the link (Better Auth's default, said out loud).
    sendOnSignUp: manifest.emailAndPassword.requireEmailVerification,
    async sendVerificationEmail({ user, url }) {
      await email.send({
        kind: "verification",
        to: user.email,
        ...verificationEmail(brand, { name: user.name, url }),
        secretPreview: url,
      });
    },
  };
  const sendResetPassword: NonNullable<BetterAuthOptions["emailAndPassword"]>["sendResetPassword"] = async ({
    user,
    url,
  }) => {
    await email.send({
      kind: "password-reset",
      to: user.email,
      ...passwordResetEmail(brand, { name: user.name, url }),
      secretPreview: url,
    });
  };
  return { emailVerification, sendResetPassword };
}
