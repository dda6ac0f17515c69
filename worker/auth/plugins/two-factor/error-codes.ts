/** Errors authform's two-factor guards answer, in Better Auth's `{ code, message }` shape. */
import { defineErrorCodes } from "@better-auth/core/utils/error-codes";

export const TWO_FACTOR_GUARD_ERROR_CODES = defineErrorCodes({
  TOTP_CODE_ALREADY_USED:
    "This code has already been used. Wait for the next code from your authenticator app and enter that one.",
  SIGN_IN_AGAIN_TO_TURN_OFF: "Sign in again (within the last 5 minutes) to turn two-factor off.",
});
