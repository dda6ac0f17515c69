/**
 * A TOTP code works once (RFC 6238 §5.2). Better Auth 1.7.29 accepts the same code again for as long
 * as its window lasts (±1 step of 30 s), so a code read over a shoulder or from a phishing page
 * signs in a second time. Before Better Auth judges a code, this finds the time step it belongs to
 * and claims it with one conditional UPDATE on the user's twoFactor row: the step must be later than
 * the last one used. Of two requests with the same code, at once or one after the other, one wins.
 * A code that matches no step is left to Better Auth, which counts it as a wrong guess.
 */

import { base32 } from "@better-auth/utils/base32";
import { createOTP } from "@better-auth/utils/otp";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import { symmetricDecrypt } from "better-auth/crypto";
import { TWO_FACTOR_GUARD_ERROR_CODES as ERRORS } from "./error-codes.ts";

const VERIFY_TOTP = "/two-factor/verify-totp";
/** Better Auth's defaults, which authform keeps: 6 digits, 30 s steps, ±1 step. */
const PERIOD = 30;
const DIGITS = 6;
const WINDOW = 1;
/** Better Auth stores imported secrets as `base32:<secret>`. */
const BASE32_PREFIX = "base32:";

const CLAIM =
  "UPDATE twoFactor SET lastTotpStep = ?1 WHERE id = ?2 AND (lastTotpStep IS NULL OR lastTotpStep < ?1)";

export function totpReplayGuard(db: D1Database): BetterAuthPlugin {
  return {
    id: "authform-totp-replay",
    $ERROR_CODES: ERRORS,
    schema: {
      twoFactor: {
        fields: {
          // The last time step (Unix time / 30 s) whose code was accepted.
          lastTotpStep: { type: "number", required: false, input: false, returned: false },
        },
      },
    },
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === VERIFY_TOTP,
          handler: createAuthMiddleware(async (ctx) => {
            const code: unknown = (ctx.body as { code?: unknown } | undefined)?.code;
            if (typeof code !== "string") return;
            const userId = await userOf(ctx);
            if (!userId) return;
            const row = await ctx.context.adapter.findOne<{ id: string; secret: string }>({
              model: "twoFactor",
              where: [{ field: "userId", value: userId }],
            });
            if (!row) return;
            const step = await matchingStep(await secretOf(row.secret, ctx.context.secretConfig), code);
            if (step === undefined) return;
            const claimed = await db.prepare(CLAIM).bind(step, row.id).run();
            if (claimed.meta.changes !== 1)
              throw APIError.from("UNAUTHORIZED", ERRORS.TOTP_CODE_ALREADY_USED);
          }),
        },
      ],
    },
  };
}

type HookContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

/** Whose code it is: the signed-in user (confirming enrollment), or the pending sign-in's (Better Auth's own lookup). */
async function userOf(ctx: HookContext): Promise<string | undefined> {
  const session = await getSessionFromCtx(ctx);
  if (session) return session.user.id;
  const cookie = ctx.context.createAuthCookie("two_factor");
  const identifier = await ctx.getSignedCookie(cookie.name, ctx.context.secret);
  if (!identifier) return undefined;
  const challenge = await ctx.context.internalAdapter.findVerificationValue(identifier);
  return challenge && challenge.expiresAt > new Date() ? challenge.value : undefined;
}

async function secretOf(
  encrypted: string,
  key: HookContext["context"]["secretConfig"],
): Promise<string | Uint8Array> {
  const secret = await symmetricDecrypt({ key, data: encrypted });
  return secret.startsWith(BASE32_PREFIX)
    ? base32.decode(secret.slice(BASE32_PREFIX.length).toUpperCase())
    : secret;
}

/** The time step within the window whose code this is, or undefined. */
async function matchingStep(secret: string | Uint8Array, code: string): Promise<number | undefined> {
  const otp = createOTP(secret, { digits: DIGITS, period: PERIOD });
  const now = Math.floor(Date.now() / 1000 / PERIOD);
  let found: number | undefined;
  // Every step is computed, so the time taken says nothing about which one matched.
  for (let step = now - WINDOW; step <= now + WINDOW; step++) {
    if (constantTimeEqual(await otp.hotp(step), code)) found = step;
  }
  return found;
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
