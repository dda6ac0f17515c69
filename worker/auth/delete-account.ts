/**
 * POST /delete-user (Better Auth's `user.deleteUser`, turned on by authform) with authform's rules:
 * it takes re-authentication — the password (Better Auth checks it), or a sign-in of the last few
 * minutes by any method (a passkey, an emailed code or link, a provider, the password), so a stolen
 * or forgotten session cookie alone is not enough; an account without a password has only the
 * second way; the last owner of an organization is refused until ownership is transferred; and
 * rows that hold no foreign key to the user go with it — API keys, invitations to their address, and verification rows naming them
 * (a pending two-factor sign-in, an emailed code) — the other tables cascade from `user` in D1. The
 * audit log keeps their events until its retention ends: it is the security record of what happened.
 */

import { defineErrorCodes } from "@better-auth/core/utils/error-codes";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import { isFreshSignIn } from "./fresh-sign-in.ts";

export const DELETE_ACCOUNT_ERROR_CODES = defineErrorCodes({
  PASSWORD_OR_FRESH_SIGN_IN_REQUIRED:
    "Enter your password, or sign in again (within the last 5 minutes), to delete your account.",
  SIGN_IN_AGAIN_TO_DELETE: "Sign in again (within the last 5 minutes) to delete your account.",
  LAST_OWNER_OF_ORGANIZATION:
    "You are the only owner of an organization. Make another member an owner, or delete the organization, first.",
});

export function deleteAccountRules(): BetterAuthPlugin {
  return {
    id: "authform-delete-account",
    $ERROR_CODES: DELETE_ACCOUNT_ERROR_CODES,
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === "/delete-user",
          handler: createAuthMiddleware(async (ctx) => {
            const session = await getSessionFromCtx(ctx);
            // Better Auth's own middleware answers 401 for a request without a session.
            if (!session) return;
            const { adapter, internalAdapter } = ctx.context;
            const body = (ctx.body ?? {}) as { password?: unknown };
            // A password sent is checked by Better Auth's handler (a wrong one, or one an account
            // without a password sends, is refused there); without one, the sign-in must be fresh.
            const withPassword = typeof body.password === "string" && body.password !== "";
            if (!withPassword && !isFreshSignIn(session.session)) {
              const credential = await internalAdapter.findCredentialAccount(session.user.id);
              throw APIError.from(
                "FORBIDDEN",
                credential?.password
                  ? DELETE_ACCOUNT_ERROR_CODES.PASSWORD_OR_FRESH_SIGN_IN_REQUIRED
                  : DELETE_ACCOUNT_ERROR_CODES.SIGN_IN_AGAIN_TO_DELETE,
              );
            }
            if (!ctx.context.hasPlugin("organization")) return;
            const owned = (
              await adapter.findMany<{ organizationId: string; role: string }>({
                model: "member",
                where: [{ field: "userId", value: session.user.id }],
              })
            ).filter((m) => isOwner(m.role));
            for (const { organizationId } of owned) {
              const members = await adapter.findMany<{ userId: string; role: string }>({
                model: "member",
                where: [{ field: "organizationId", value: organizationId }],
              });
              if (!members.some((m) => m.userId !== session.user.id && isOwner(m.role)))
                throw APIError.from("BAD_REQUEST", DELETE_ACCOUNT_ERROR_CODES.LAST_OWNER_OF_ORGANIZATION);
            }
          }),
        },
      ],
    },
    init: () => ({
      options: {
        databaseHooks: {
          user: {
            delete: {
              async after(user, ctx) {
                if (!ctx) return;
                const { adapter } = ctx.context;
                if (ctx.context.hasPlugin("api-key"))
                  await adapter.deleteMany({
                    model: "apikey",
                    where: [{ field: "referenceId", value: user.id }],
                  });
                if (ctx.context.hasPlugin("organization"))
                  await adapter.deleteMany({
                    model: "invitation",
                    where: [{ field: "email", value: user.email }],
                  });
                // A pending two-factor sign-in's value is the user id; an emailed code's identifier ends in the address.
                await adapter.deleteMany({
                  model: "verification",
                  where: [{ field: "value", value: user.id }],
                });
                await adapter.deleteMany({
                  model: "verification",
                  where: [{ field: "identifier", value: `-${user.email}`, operator: "ends_with" }],
                });
              },
            },
          },
        },
      },
    }),
  };
}

/** Better Auth keeps a member's roles as one comma-separated string ("owner,admin"). */
function isOwner(role: string): boolean {
  return role.split(",").some((r) => r.trim() === "owner");
}
