/**
 * The two emails of an email change: the link to the new address (nothing changes until it is
 * followed) and the notice to the old one, which carries no link: whoever reads the old mailbox is
 * told, not handed a way to finish someone else's change.
 */
import type { EmailBlock, EmailBrand, EmailContent } from "./layout.ts";
import { renderEmail } from "./layout.ts";

export function emailChangeEmail(
  brand: EmailBrand,
  { name, newEmail, url }: { name: string; newEmail: string; url: string },
): EmailContent {
  return renderEmail(brand, {
    subject: `Confirm your new email address for ${brand.appName}`,
    heading: "Confirm your new email address",
    blocks: [
      ...greeting(name),
      {
        kind: "paragraph",
        text: `Someone signed in to a ${brand.appName} account asked to use ${newEmail} as its email address. Follow the link to confirm; the address changes only then.`,
      },
      { kind: "button", label: "Confirm new email address", url },
      { kind: "note", text: "If it was not you, ignore this email: nothing changes." },
    ],
  });
}

export function emailChangeNotice(
  brand: EmailBrand,
  { name, newEmail }: { name: string; newEmail: string },
): EmailContent {
  return renderEmail(brand, {
    subject: `Your ${brand.appName} email address is being changed`,
    heading: "Your email address is being changed",
    blocks: [
      ...greeting(name),
      {
        kind: "paragraph",
        text: `Someone signed in to your ${brand.appName} account asked to change its email address to ${newEmail}. It changes when that address confirms it, and then this one no longer signs in.`,
      },
      {
        kind: "note",
        text: "If it was not you: sign in, change your password and revoke your other sessions, or reset your password from the sign-in page.",
      },
    ],
  });
}

function greeting(name: string): EmailBlock[] {
  const trimmed = name.trim();
  return trimmed ? [{ kind: "paragraph", text: `Hi ${trimmed},` }] : [];
}
