/**
 * POST /change-email (Better Auth's `user.changeEmail`, turned on by authform) under authform's
 * rules. The new address gets a link and nothing changes until it is followed (the emails:
 * worker/email/account-emails.ts); the link is bound to the user who asked (Better Auth refuses it
 * in another user's signed-in browser) and works once (single-use-verification-links.ts). Here:
 * - following it proves the new address, so the account comes out verified (Better Auth keeps the
 *   old address's flag, which left an unverified account unverified at an address it had proven);
 * - guests are refused: they save their account with an address instead (upgrade-anonymous).
 */
import { defineErrorCodes } from "@better-auth/core/utils/error-codes";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";

export const CHANGE_EMAIL_ERROR_CODES = defineErrorCodes({
  GUESTS_SAVE_ACCOUNT_FIRST: "Save your guest account with an email address instead.",
});

export function changeEmailRules(): BetterAuthPlugin {
  return {
    id: "authform-change-email",
    $ERROR_CODES: CHANGE_EMAIL_ERROR_CODES,
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === "/change-email",
          handler: createAuthMiddleware(async (ctx) => {
            const session = await getSessionFromCtx(ctx);
            if ((session?.user as { isAnonymous?: boolean | null } | undefined)?.isAnonymous === true)
              throw APIError.from("FORBIDDEN", CHANGE_EMAIL_ERROR_CODES.GUESTS_SAVE_ACCOUNT_FIRST);
          }),
        },
      ],
    },
    init: () => ({
      options: {
        databaseHooks: {
          user: {
            update: {
              async before(data, ctx) {
                // /verify-email writes `email` only when it completes a change, from the new address's link.
                if (ctx?.path === "/verify-email" && typeof data.email === "string")
                  return { data: { ...data, emailVerified: true } };
              },
            },
          },
        },
      },
    }),
  };
}
