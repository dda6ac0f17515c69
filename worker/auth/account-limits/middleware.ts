/**
 * Per-account limits in front of Better Auth: each attempt on an account (by the `email` it names,
 * or for a second factor by the pending two-factor sign-in) is reserved in D1 before Better Auth
 * judges it, whatever address it comes from. Turned away: a 429 with Retry-After. Additive to the
 * per-IP limiter (../rate-limit.ts), which Better Auth applies while the reservation is on its way.
 */
import type { MiddlewareHandler } from "hono";
import { afterResponse } from "../../middleware/after-response.ts";
import { RetryLaterError } from "../../middleware/errors.ts";
import type { AppEnv, RuntimeManifest } from "../../spec.ts";
import { accountKey, normaliseEmail } from "./account-key.ts";
import { type AttemptCount, attemptStore, noticeDue } from "./attempt-store.ts";
import { sendBurstNotice } from "./burst-notice.ts";
import { pendingReservation } from "./judge-after-reservation.ts";
import { ACCOUNT_LIMITED_PATHS, ACCOUNT_LIMITS, type AccountLimitGroup } from "./rules.ts";
import { twoFactorChallengeUser } from "./two-factor-challenge.ts";

export const TOO_MANY_ATTEMPTS_FOR_ACCOUNT = "too_many_attempts_for_account";

export class TooManyAttemptsForAccountError extends RetryLaterError {
  constructor(retryAfterSeconds: number) {
    super(
      TOO_MANY_ATTEMPTS_FOR_ACCOUNT,
      `Too many attempts for this account. Try again in ${retryAfterSeconds} s, or sign in another way.`,
      retryAfterSeconds,
    );
  }
}

export function accountLimits(manifest: RuntimeManifest): MiddlewareHandler<AppEnv> {
  const base = manifest.basePath;
  return async (c, next) => {
    const group = c.req.method === "POST" ? ACCOUNT_LIMITED_PATHS[c.req.path.slice(base.length)] : undefined;
    if (!group) return next();
    // A second factor (a guess or a send) names its account by the pending sign-in; every other path by its `email`.
    const byChallenge = group === "second-factor" || group === "second-factor-send";
    const email = byChallenge ? undefined : await emailInBody(c.req.raw);
    const userId = byChallenge ? await twoFactorChallengeUser(c) : undefined;
    const account = email ?? (userId && `user:${userId}`);
    // No account named: Better Auth refuses it before judging anything.
    if (!account) return next();

    const rule = ACCOUNT_LIMITS[group];
    const store = attemptStore(c.env.DB);
    const key = await accountKey(c.env.BETTER_AUTH_SECRET, group, account);
    // Started, not awaited: Better Auth's per-IP count runs meanwhile, and its first before-hook
    // waits for this before anything is judged (judge-after-reservation.ts).
    const pending = store.reserve(key, rule);
    pending.catch(() => {}); // awaited below; a failure is reported there, not as an unhandled rejection
    await pendingReservation.run(pending, next);
    const reservation = await pending;
    const notify = async (count: AttemptCount) => {
      if (!email || !noticeDue(count, rule)) return;
      const claimed = await store.claimNotice(key);
      if (!claimed) return;
      const sending = sendBurstNotice(c.env, manifest, { email, way: wayOf(group), count: claimed });
      // After the response, so a burst is answered no slower; without an execution context (app.request), now.
      try {
        c.executionCtx.waitUntil(sending);
      } catch {
        await sending;
      }
    };
    await notify(reservation.count);
    if (!reservation.allowed) throw new TooManyAttemptsForAccountError(reservation.retryAfterSeconds);
    // A success frees the next attempt: after the response, since it only ever loosens the count
    // (a later attempt that lands first is counted, then reset as it would have been a moment later).
    if (rule.resetOnSuccess && c.res.status >= 200 && c.res.status < 300) {
      afterResponse(store.reset(key).catch((error) => console.error("account limits: reset failed", error)));
    } else if (await refusedUnjudged(c.res)) await store.refund(key);
  };
}

/** Better Auth's refusals that come before it looks at a password, code or address. */
const UNJUDGED_CODES = new Set([
  "INVALID_CALLBACK_URL",
  "INVALID_ERROR_CALLBACK_URL",
  "INVALID_NEW_USER_CALLBACK_URL",
  "INVALID_REDIRECT_URL",
  "INVALID_ORIGIN",
  "MISSING_OR_NULL_ORIGIN",
  "CROSS_SITE_NAVIGATION_LOGIN_BLOCKED",
]);

/** True for the per-IP limiter's 429 and for an origin or redirect check's 403: no attempt was judged. */
async function refusedUnjudged(res: Response): Promise<boolean> {
  if (res.status === 429) return true;
  if (res.status !== 403) return false;
  const body: unknown = await res
    .clone()
    .json()
    .catch(() => undefined);
  const code = typeof body === "object" && body !== null ? (body as { code?: unknown }).code : undefined;
  return typeof code === "string" && UNJUDGED_CODES.has(code);
}

/** The `email` of a JSON body (json-body.ts has already checked and replaced the body), normalised. */
async function emailInBody(req: Request): Promise<string | undefined> {
  if (!(req.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) return undefined;
  const body: unknown = await req
    .clone()
    .json()
    .catch(() => undefined);
  if (typeof body !== "object" || body === null) return undefined;
  return normaliseEmail((body as Record<string, unknown>).email);
}

function wayOf(group: AccountLimitGroup) {
  return group === "password" ? "password" : "code";
}
