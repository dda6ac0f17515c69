/**
 * With requireEmailVerification, a passkey does not sign in to an account whose address is unproven
 * (an upgraded guest's, say), as a password does not: the owner proves the address first.
 */
import type { BetterAuthPlugin } from "better-auth";
import { APIError } from "better-auth/api";
import { PASSKEY_ALIAS_ERROR_CODES as ERRORS } from "./error-codes.ts";

const PASSKEY_SIGN_IN = "/passkey/verify-authentication";

export function passkeyNeedsVerifiedEmail(): BetterAuthPlugin {
  return {
    id: "authform-passkey-verified-email",
    init: () => ({
      options: {
        databaseHooks: {
          session: {
            create: {
              // Before the session row exists: a refused sign-in leaves no session behind.
              async before(session, ctx) {
                if (!ctx || ctx.path !== PASSKEY_SIGN_IN) return;
                if (!ctx.context.options.emailAndPassword?.requireEmailVerification) return;
                const user: object | null = await ctx.context.internalAdapter.findUserById(session.userId);
                // A guest has a placeholder address and no password either way: its passkey is its sign-in.
                if (!user || isTrue(user, "emailVerified") || isTrue(user, "isAnonymous")) return;
                throw APIError.from("FORBIDDEN", ERRORS.EMAIL_NOT_VERIFIED);
              },
            },
          },
        },
      },
    }),
  };
}

function isTrue(user: object, field: string): boolean {
  return field in user && (user as Record<string, unknown>)[field] === true;
}
