/** The notice to an account's address when attempts to sign in to it fail in a burst (worker/auth/account-limits). */
import type { EmailBrand, EmailContent } from "./layout.ts";
import { renderEmail } from "./layout.ts";

/** How the attempts tried to get in, in the notice's words. */
export type FailedSignInWay = "password" | "code";

export interface FailedSignInsDetails {
  way: FailedSignInWay;
  /** Attempts judged or turned away since the last success, in this window. */
  failures: number;
  /** When the first of them came. */
  since: Date;
}

const WAY_WORDS: Record<FailedSignInWay, string> = {
  password: "with a wrong password",
  code: "with a wrong email code",
};

export function failedSignInsEmail(brand: EmailBrand, details: FailedSignInsDetails): EmailContent {
  const since = details.since.toISOString().replace("T", " ").slice(0, 16);
  return renderEmail(brand, {
    subject: `Failed sign-in attempts on your ${brand.appName} account`,
    heading: "Someone is trying to sign in to your account",
    blocks: [
      {
        kind: "paragraph",
        text: `${details.failures} attempts to sign in to your ${brand.appName} account ${WAY_WORDS[details.way]} failed or were turned away since ${since} UTC.`,
      },
      {
        kind: "paragraph",
        text: "We now make each further attempt wait longer. Your other ways to sign in (a passkey, an email link or code) keep working.",
      },
      {
        kind: "paragraph",
        text:
          details.way === "password"
            ? "If it was not you: your account is safe as long as the password is not guessable. If it is short or used elsewhere, sign in and change it, or add a passkey."
            : "If it was not you: nobody can use a code without reading this mailbox; no action is needed.",
      },
      { kind: "note", text: "If it was you, you can ignore this email. We send it at most once an hour." },
    ],
  });
}
