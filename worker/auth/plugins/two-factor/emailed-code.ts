/**
 * An emailed code as the second factor (Better Auth's twoFactor OTP: /two-factor/send-otp and
 * /two-factor/verify-otp), sent through authform's email sender. Two rules of authform's own:
 * - Only at sign-in, never by a signed-in session: Better Auth turns two-factor on when a signed-in
 *   user without it verifies an emailed code, which would make the inbox both factors.
 * - Only after a password: after an emailed code, a magic link or a social account (which
 *   every-sign-in.ts also challenges), an emailed second code would come from the same inbox.
 *   every-sign-in.ts marks those pending sign-ins (`markInboxFirst`); this refuses them.
 * Single use and the attempt limit are Better Auth's: the code is consumed (deleted) before it is
 * judged and put back with one more attempt when wrong, 5 attempts per code; the second-factor
 * budget (worker/auth/account-limits/) counts every guess first.
 */
import { defineErrorCodes } from "@better-auth/core/utils/error-codes";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";

export const EMAILED_CODE_ERROR_CODES = defineErrorCodes({
  EMAILED_CODE_ONLY_AT_SIGN_IN: "An emailed code is a second factor when signing in only.",
  EMAILED_CODE_NEEDS_ANOTHER_FACTOR:
    "You signed in with your email already: use your authenticator app or a backup code.",
});

const EMAILED_CODE_PATHS = new Set(["/two-factor/send-otp", "/two-factor/verify-otp"]);
/** How long the mark lives: as long as Better Auth's pending sign-in (twoFactorCookieMaxAge). */
const PENDING_SECONDS = 600;

type HookContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

const markOf = (identifier: string) => `authform-2fa-inbox-first-${identifier}`;

/** The pending sign-in's identifier, from its signed `two_factor` cookie. */
async function pendingIdentifier(ctx: HookContext): Promise<string | null> {
  const cookie = ctx.context.createAuthCookie("two_factor");
  const value = await ctx.getSignedCookie(cookie.name, ctx.context.secret);
  return value || null;
}

/** every-sign-in.ts, after a first factor that is not a password: this pending sign-in gets no emailed code. */
export async function markInboxFirst(ctx: HookContext, answered: Headers): Promise<void> {
  const cookie = ctx.context.createAuthCookie("two_factor");
  // The hook's answer carries the pending sign-in's cookie (or the context's headers do).
  const lines = [...answered.getSetCookie(), ...(ctx.context.responseHeaders?.getSetCookie?.() ?? [])];
  const line = lines.find((l) => l.startsWith(`${cookie.name}=`));
  if (!line) return;
  const signed = decodeURIComponent(line.slice(cookie.name.length + 1).split(";")[0] ?? "");
  const identifier = signed.slice(0, signed.lastIndexOf("."));
  if (!identifier) return;
  await ctx.context.internalAdapter.createVerificationValue({
    identifier: markOf(identifier),
    value: "1",
    expiresAt: new Date(Date.now() + PENDING_SECONDS * 1000),
  });
}

export function emailedCodeGuard(): BetterAuthPlugin {
  return {
    id: "authform-two-factor-emailed-code",
    $ERROR_CODES: EMAILED_CODE_ERROR_CODES,
    hooks: {
      before: [
        {
          matcher: (ctx) => EMAILED_CODE_PATHS.has(ctx.path ?? ""),
          handler: createAuthMiddleware(async (ctx) => {
            if (await getSessionFromCtx(ctx))
              throw APIError.from("FORBIDDEN", EMAILED_CODE_ERROR_CODES.EMAILED_CODE_ONLY_AT_SIGN_IN);
            const identifier = await pendingIdentifier(ctx);
            if (!identifier) return; // Better Auth answers a missing pending sign-in itself.
            if (await ctx.context.internalAdapter.findVerificationValue(markOf(identifier)))
              throw APIError.from("FORBIDDEN", EMAILED_CODE_ERROR_CODES.EMAILED_CODE_NEEDS_ANOTHER_FACTOR);
          }),
        },
      ],
    },
  };
}
