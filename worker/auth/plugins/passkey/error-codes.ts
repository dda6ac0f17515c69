/** Errors authform's passkey routes answer themselves, in Better Auth's `{ code, message }` shape. */
import { defineErrorCodes } from "@better-auth/core/utils/error-codes";

export const PASSKEY_ALIAS_ERROR_CODES = defineErrorCodes({
  EMAIL_NOT_VERIFIED:
    "This account's email address is not verified yet. Follow the link in the verification email, or sign in with an email code, then use the passkey.",
  USER_VERIFICATION_REQUIRED:
    "This passkey ceremony did not verify you (no fingerprint, face or PIN check), and this app requires it. Try again and complete the check, or use an authenticator that can verify you.",
  INVALID_CREDENTIAL:
    'The body holds no credential. Send the PublicKeyCredential as JSON ({ id, rawId, type: "public-key", response }) or as Better Auth\'s { response: credential }.',
});
