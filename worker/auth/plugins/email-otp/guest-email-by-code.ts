/**
 * A guest proves an address by code, keeping its id: Better Auth's email-otp change-email
 * (`/email-otp/request-email-change` sends a code to the new address, `/email-otp/change-email`
 * checks it and stores the address as verified). Then `POST /upgrade-anonymous` with `{}` keeps it.
 * Guests only: a guest's current address is a placeholder nobody can be asked about, whereas a full
 * account's address would need proving too (the seed offers full users no email change).
 */
import { defineErrorCodes } from "@better-auth/core/utils/error-codes";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";

export const GUEST_EMAIL_ERROR_CODES = defineErrorCodes({
  EMAIL_CHANGE_IS_FOR_GUESTS:
    "Changing the email by code is for guests proving an address before POST /upgrade-anonymous; this account is not a guest.",
});

const GUEST_PATHS = new Set(["/email-otp/request-email-change", "/email-otp/change-email"]);

export function guestEmailByCode(): BetterAuthPlugin {
  return {
    id: "authform-guest-email-by-code",
    $ERROR_CODES: GUEST_EMAIL_ERROR_CODES,
    hooks: {
      before: [
        {
          matcher: (ctx) => GUEST_PATHS.has(ctx.path ?? ""),
          handler: createAuthMiddleware(async (ctx) => {
            const session = await getSessionFromCtx(ctx);
            // No session: Better Auth's endpoint answers 401 itself.
            if (!session) return;
            // The stored row, not the (possibly cached) session: an upgraded user is no guest.
            const user: object | null = await ctx.context.internalAdapter.findUserById(session.user.id);
            if (user && "isAnonymous" in user && user.isAnonymous === true) return;
            throw APIError.from("FORBIDDEN", GUEST_EMAIL_ERROR_CODES.EMAIL_CHANGE_IS_FOR_GUESTS);
          }),
        },
      ],
    },
  };
}
