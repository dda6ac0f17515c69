/**
 * The emails of accounts: address verification, password reset and email change, through the
 * email layer. An email change comes through `sendVerificationEmail` too (Better Auth sends the
 * new address its link that way); its token says so, and the old address gets a notice as well.
 */
import type { BetterAuthOptions } from "better-auth";
import { decodeJwt } from "jose";
import type { RuntimeManifest } from "../../src/contract/manifest.ts";
import type { WorkerEnv } from "../env.ts";
import {
  accountDeletedEmail,
  emailBrand,
  emailChangeEmail,
  emailChangeNotice,
  passwordResetEmail,
  verificationEmail,
} from "./templates/index.ts";
import type { EmailSender } from "./types.ts";

export function accountEmails(
  env: WorkerEnv,
  manifest: RuntimeManifest,
  { email, emailAfterResponse }: { email: EmailSender; emailAfterResponse: EmailSender },
) {
  const brand = emailBrand(env);
  const emailVerification: BetterAuthOptions["emailVerification"] = {
    // With requireEmailVerification, sign-up sends the link (Better Auth's default, said out loud).
    sendOnSignUp: manifest.emailAndPassword.requireEmailVerification,
    async sendVerificationEmail({ user, url, token }) {
      const change = emailChangeOf(token);
      if (change) {
        // `user.email` is already the new address here; the token keeps the one it replaces.
        await email.send({
          kind: "email-change",
          to: change.to,
          ...emailChangeEmail(brand, { name: user.name, newEmail: change.to, url }),
          secretPreview: url,
        });
        await email.send({
          kind: "email-change-notice",
          to: change.from,
          ...emailChangeNotice(brand, { name: user.name, newEmail: change.to }),
        });
        return;
      }
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
    // Not awaited by the response: an unknown address is answered at once, so a known one must be too.
    await emailAfterResponse.send({
      kind: "password-reset",
      to: user.email,
      ...passwordResetEmail(brand, { name: user.name, url }),
      secretPreview: url,
    });
  };
  // After POST /delete-user has deleted everything: the address it had is told. After the response,
  // and a failed send only logged: the deletion is done and stays done.
  const afterDelete = async (user: { email: string; name: string; isAnonymous?: unknown }) => {
    // A guest's address is a placeholder that reaches nobody.
    if (user.isAnonymous === true) return;
    await emailAfterResponse.send({
      kind: "account-deleted",
      to: user.email,
      ...accountDeletedEmail(brand, { name: user.name }),
    });
  };
  return { emailVerification, sendResetPassword, afterDelete };
}

/**
 * An email-change link's addresses, from its token (Better Auth signs `{ email, updateTo }` into it,
 * `email` being the current address). Signed by Better Auth a moment ago, so only decoded here.
 */
function emailChangeOf(token: string): { from: string; to: string } | undefined {
  try {
    const { email, updateTo } = decodeJwt(token);
    return typeof email === "string" && typeof updateTo === "string"
      ? { from: email, to: updateTo }
      : undefined;
  } catch {
    return undefined;
  }
}
