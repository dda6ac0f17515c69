/**
 * The confirmation that an account was deleted, to the address it had: the owner learns of it even
 * when they did not do it (a stolen password), and no link in it, since there is nothing left to open.
 */
import type { EmailBrand, EmailContent } from "./layout.ts";
import { renderEmail } from "./layout.ts";

export function accountDeletedEmail(brand: EmailBrand, { name }: { name: string }): EmailContent {
  const trimmed = name.trim();
  return renderEmail(brand, {
    subject: `Your ${brand.appName} account is deleted`,
    heading: "Your account is deleted",
    blocks: [
      ...(trimmed ? [{ kind: "paragraph" as const, text: `Hi ${trimmed},` }] : []),
      {
        kind: "paragraph",
        text: `Your ${brand.appName} account and everything that belonged to it (sessions, sign-in methods, passkeys, API keys, app authorizations, memberships and two-factor settings) were deleted. It cannot be undone.`,
      },
      {
        kind: "note",
        text: `If it was not you, someone had your password or a signed-in device: contact ${brand.appName}, and change that password wherever else you use it.`,
      },
    ],
  });
}
