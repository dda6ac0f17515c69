/** Errors authform's API key guards answer, in Better Auth's `{ code, message }` shape. */
import { defineErrorCodes } from "@better-auth/core/utils/error-codes";

export const API_KEY_GUARD_ERROR_CODES = defineErrorCodes({
  INVALID_API_KEY: "Invalid API key.",
  NOT_A_MEMBER_OF_ORGANIZATION:
    "metadata.organizationId names an organization you are not a member of: a key can only carry an organization its owner belongs to.",
  INVALID_ORGANIZATION_ID: "metadata.organizationId must be a non-empty string.",
  KEY_OWNER_BANNED: "The key's owner is banned; the key does not work until they are unbanned.",
});
