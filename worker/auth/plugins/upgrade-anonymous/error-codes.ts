/** Every error POST /upgrade-anonymous answers with, in Better Auth's `{ code, message }` shape. */
import { defineErrorCodes } from "@better-auth/core/utils/error-codes";

export const UPGRADE_ANONYMOUS_ERROR_CODES = defineErrorCodes({
  USER_IS_NOT_ANONYMOUS: "This account is already a full account; only a guest session can be upgraded.",
  EMAIL_ALREADY_IN_USE: "An account with this email already exists. Sign in to it instead.",
  PASSWORD_TOO_SHORT: "Password too short",
  PASSWORD_TOO_LONG: "Password too long",
  EMAIL_PASSWORD_DISABLED:
    "Email and password sign-up is turned off for this app, so a guest cannot be given a password.",
  EMAIL_WITHOUT_PASSWORD:
    "body.password is missing: send email and password together to add them, or neither ({}) to keep the guest's own sign-in.",
  PASSWORD_WITHOUT_EMAIL:
    "body.email is missing: send email and password together to add them, or neither ({}) to keep the guest's own sign-in.",
  NOTHING_TO_SIGN_IN_WITH:
    "This guest has no proven email and no passkey, so it could not sign in again after the upgrade. Prove an email with a code (POST /email-otp/request-email-change, then /email-otp/change-email), add a passkey, or send { email, password }.",
  VERIFIED_EMAIL_REQUIRED:
    "This app requires a verified email, and this guest has none. Prove an email with a code (POST /email-otp/request-email-change, then /email-otp/change-email), or send { email, password } and follow the emailed link.",
  FAILED_TO_UPGRADE: "The guest account could not be upgraded. Try again.",
});
