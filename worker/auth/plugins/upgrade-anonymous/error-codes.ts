/** Every error POST /upgrade-anonymous answers with, in Better Auth's `{ code, message }` shape. */
import { defineErrorCodes } from "@better-auth/core/utils/error-codes";

export const UPGRADE_ANONYMOUS_ERROR_CODES = defineErrorCodes({
  USER_IS_NOT_ANONYMOUS: "This account is already a full account; only a guest session can be upgraded.",
  EMAIL_ALREADY_IN_USE: "An account with this email already exists. Sign in to it instead.",
  PASSWORD_TOO_SHORT: "Password too short",
  PASSWORD_TOO_LONG: "Password too long",
  EMAIL_PASSWORD_DISABLED:
    "Email and password sign-up is turned off for this app, so a guest cannot be given a password.",
  FAILED_TO_UPGRADE: "The guest account could not be upgraded. Try again.",
});
