/**
 * `twoFactor: { required: true }`: a signed-in user without two-factor may only enroll. The Account
 * SPA shows them the enrollment step alone, but a page is no guard: here every Better Auth endpoint
 * a session calls answers 403 TWO_FACTOR_ENROLLMENT_REQUIRED, except the ones signing in, signing
 * out and enrolling need. /api/v1 holds them too (worker/api/authenticate.ts), and no fast-path
 * token is minted for them (worker/api/token-on-sign-in.ts). Guests are not held: they have no
 * password to enroll with, and saving the account is their way on.
 *
 * A sign-in that ends in a navigation (a magic link, a social callback) would land where it was
 * headed, e.g. the app, which can do nothing with the held session: it lands on the Account SPA's
 * /account instead, the enrollment step, as the SPA sends password and code sign-ins.
 *
 * A passkey does not count as enrollment: whoever holds the inbox could still sign in to such an
 * account by code or link with one factor, since the second factor is asked only once TOTP is on.
 */
import { defineErrorCodes } from "@better-auth/core/utils/error-codes";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import { enrolledOrGuest } from "./options.ts";

export const ENROLLMENT_ERROR_CODES = defineErrorCodes({
  TWO_FACTOR_ENROLLMENT_REQUIRED:
    "Turn on two-factor authentication first: this app requires it for every account.",
});

/** What a not-yet-enrolled session may call: read itself, sign out or in again, set a first password, enroll. */
const OPEN_PATHS = new Set([
  "/get-session",
  "/sign-out",
  "/list-accounts",
  "/set-password",
  "/two-factor/enable",
  "/two-factor/get-totp-uri",
  "/two-factor/verify-totp",
]);
/** Signing in again (or as someone else) and finishing a sign-in stay open. */
const OPEN_PREFIXES = [
  "/sign-in/",
  "/sign-up/",
  "/email-otp/",
  "/magic-link/",
  "/callback/",
  "/two-factor/verify-",
];

const SESSION_COOKIE = /(?:^|;\s*)(?:__Secure-)?better-auth\.session_token=/;

/** Sign-ins that end in a redirect (as every-sign-in.ts). */
const NAVIGATIONS = new Set(["/magic-link/verify", "/callback/:id"]);

export function enrollmentRequiredGuard(accountUrl: string): BetterAuthPlugin {
  const enrollment = new URL("/account", accountUrl).href;
  return {
    id: "authform-two-factor-required",
    $ERROR_CODES: ENROLLMENT_ERROR_CODES,
    hooks: {
      before: [
        {
          matcher: (ctx) => {
            const path = ctx.path ?? "";
            if (OPEN_PATHS.has(path) || OPEN_PREFIXES.some((prefix) => path.startsWith(prefix))) return false;
            return SESSION_COOKIE.test(ctx.headers?.get("cookie") ?? "");
          },
          handler: createAuthMiddleware(async (ctx) => {
            const found = await getSessionFromCtx(ctx);
            if (!found) return;
            if (enrolledOrGuest(found.user)) return;
            throw APIError.from("FORBIDDEN", ENROLLMENT_ERROR_CODES.TWO_FACTOR_ENROLLMENT_REQUIRED);
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => NAVIGATIONS.has(ctx.path ?? ""),
          handler: createAuthMiddleware(async (ctx) => {
            const made = ctx.context.newSession;
            if (!made || enrolledOrGuest(made.user)) return;
            // Only a redirect is re-aimed (a link without callbackURL answers JSON); the new session's cookie stays.
            if (!ctx.context.responseHeaders?.get("location")) return;
            throw ctx.redirect(enrollment);
          }),
        },
      ],
    },
  };
}
