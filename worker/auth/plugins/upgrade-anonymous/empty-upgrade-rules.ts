/**
 * What an upgrade without credentials (`{}`) requires. Flipping isAnonymous adds no way to sign in,
 * so the guest must already have one that is its own: an email it proved (a code it received) or a
 * passkey. A placeholder address never counts, so `{}` cannot make a "real" user out of an address
 * nobody can receive mail at, and an unproven address is never turned into a full account.
 */
import { UPGRADE_ANONYMOUS_ERROR_CODES as ERRORS } from "./error-codes.ts";

export interface GuestSignIns {
  email: string;
  emailVerified: boolean;
  hasPasskey: boolean;
  /** emailAndPassword.requireEmailVerification: then a passkey alone does not sign in (passkey/verified-email-only.ts). */
  requireEmailVerification: boolean;
}

/** RFC 6761's `.invalid` never receives mail; Better Auth's guest placeholders end in `placeholder.invalid`. */
export function isPlaceholderEmail(email: string): boolean {
  return /\.invalid$/i.test(email.trim());
}

export function hasProvenEmail(guest: Pick<GuestSignIns, "email" | "emailVerified">): boolean {
  return guest.emailVerified && !isPlaceholderEmail(guest.email);
}

/** The error `{}` is refused with, or null when the guest may be upgraded as it is. */
export function emptyUpgradeRefusal(guest: GuestSignIns) {
  if (hasProvenEmail(guest)) return null;
  if (guest.requireEmailVerification) return ERRORS.VERIFIED_EMAIL_REQUIRED;
  return guest.hasPasskey ? null : ERRORS.NOTHING_TO_SIGN_IN_WITH;
}
