/**
 * Turning two-factor off takes the password or, for an account without one (its password unlinked,
 * say, after a provider was linked), a sign-in of the last 5 minutes: the rule set-password.ts and
 * delete-account.ts keep. Better Auth's `allowPasswordless` (set in index.ts) lets such an account
 * through its password checks with no check at all; these hooks put the freshness in its place for
 * /two-factor/disable, and keep enrolling and new backup codes on the password, as before.
 */
import { BASE_ERROR_CODES } from "@better-auth/core/error";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import { isFreshSignIn } from "../../fresh-sign-in.ts";
import { TWO_FACTOR_GUARD_ERROR_CODES } from "./error-codes.ts";

const DISABLE = "/two-factor/disable";
/** What `allowPasswordless` also opens to a password-less account; it still takes the password here. */
const PASSWORD_ONLY = new Set([
  "/two-factor/enable",
  "/two-factor/get-totp-uri",
  "/two-factor/generate-backup-codes",
]);

const sentPassword = (body: unknown): boolean => {
  const password = (body as { password?: unknown } | undefined)?.password;
  return typeof password === "string" && password !== "";
};

type HookContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

/**
 * Whether the signed-in account has no password; undefined without a session (Better Auth's own
 * middleware answers 401). `allowPasswordless` checks no password at all for such an account, not
 * even one sent, so these hooks decide for it.
 */
async function passwordless(ctx: HookContext) {
  const session = await getSessionFromCtx(ctx);
  if (!session) return undefined;
  const credential = await ctx.context.internalAdapter.findCredentialAccount(session.user.id);
  return credential?.password ? null : session;
}

export function turnOffRules(): BetterAuthPlugin {
  return {
    id: "authform-two-factor-turn-off",
    hooks: {
      before: [
        {
          matcher: (ctx) => PASSWORD_ONLY.has(ctx.path ?? ""),
          handler: createAuthMiddleware(async (ctx) => {
            // With a password on the account, Better Auth's handler checks the one sent; without, none is right.
            if (!sentPassword(ctx.body) || (await passwordless(ctx)))
              throw APIError.from("BAD_REQUEST", BASE_ERROR_CODES.INVALID_PASSWORD);
          }),
        },
        {
          matcher: (ctx) => ctx.path === DISABLE,
          handler: createAuthMiddleware(async (ctx) => {
            const session = await passwordless(ctx);
            // With a password on the account, Better Auth's handler wants it and checks it.
            if (!session) return;
            if (!isFreshSignIn(session.session))
              throw APIError.from("FORBIDDEN", TWO_FACTOR_GUARD_ERROR_CODES.SIGN_IN_AGAIN_TO_TURN_OFF);
          }),
        },
      ],
    },
  };
}
