/** Errors authform's admin guards answer, in Better Auth's `{ code, message }` shape. */
import { defineErrorCodes } from "@better-auth/core/utils/error-codes";

export const ADMIN_GUARD_ERROR_CODES = defineErrorCodes({
  NOT_AN_ADMIN:
    "Only the admins named in the config (admin.userEmails), once they have verified their address, can do this",
  ADMIN_ROLE_FROM_CONFIG:
    "Who is an admin is set in the config (admin.userEmails); the admin role cannot be given or taken here",
});
