/**
 * The per-account counters in D1 (the `accountAttempt` table). An attempt is reserved before it is
 * judged, by one conditional upsert, so any number of requests at once get exactly the budget.
 */
import type { AccountLimitRule } from "./rules.ts";

/** A row as the statements return it (times in epoch ms). */
export interface AttemptCount {
  attempts: number;
  refused: number;
  nextAllowedAt: number;
  windowStart: number;
  notifiedAt: number | null;
}

export type Reservation =
  | { allowed: true; count: AttemptCount }
  | { allowed: false; count: AttemptCount; retryAfterSeconds: number };

const RETURNING = "RETURNING attempts, refused, nextAllowedAt, windowStart, notifiedAt";

// Parameters: ?1 key, ?2 now, ?3 a window ago, ?4 free, ?5 first delay, ?6 longest delay, ?7 ceiling.
/** The wait after the `n`th attempt: none while free, then first delay × 2^(n − free), capped. */
const delayAfter = (n: string) => `(CASE WHEN ${n} < ?4 THEN 0 ELSE min(?6, ?5 << min(${n} - ?4, 30)) END)`;
/** The count this attempt makes (in an upsert's SET, bare names are the stored row). */
const NEXT_COUNT = "(CASE WHEN windowStart <= ?3 THEN 1 ELSE attempts + 1 END)";

/**
 * One statement, atomic in D1: a new row, a stale window started afresh, or one more attempt, but
 * only when the account is not waiting and under the ceiling. No row back means turned away.
 */
const RESERVE = `INSERT INTO accountAttempt (key, windowStart, attempts, refused, nextAllowedAt)
VALUES (?1, ?2, 1, 0, ?2 + ${delayAfter("1")})
ON CONFLICT(key) DO UPDATE SET
  windowStart = CASE WHEN windowStart <= ?3 THEN ?2 ELSE windowStart END,
  refused = CASE WHEN windowStart <= ?3 THEN 0 ELSE refused END,
  attempts = ${NEXT_COUNT},
  nextAllowedAt = ?2 + ${delayAfter(NEXT_COUNT)}
WHERE nextAllowedAt <= ?2 AND (windowStart <= ?3 OR attempts < ?7)
${RETURNING}`;

/** A turned-away attempt counts toward the burst notice, never toward the wait (a stranger cannot lengthen it). */
const REFUSE = `UPDATE accountAttempt SET refused = refused + 1 WHERE key = ?1 ${RETURNING}`;

/** A success: the next attempt is free again. The window and its notice stay. */
const RESET =
  "UPDATE accountAttempt SET attempts = 0, refused = 0, nextAllowedAt = 0 WHERE key = ?1 AND attempts > 0";

/**
 * An attempt refused before anything was judged (a bad callback URL, a foreign origin, the per-IP
 * limit) gives its place back. The wait it set stays: a burst cannot shorten it this way.
 */
const REFUND = "UPDATE accountAttempt SET attempts = attempts - 1 WHERE key = ?1 AND attempts > 0";

/** Claims this window's notice; only one request of a burst gets the row back. */
const CLAIM_NOTICE = `UPDATE accountAttempt SET notifiedAt = ?2
WHERE key = ?1 AND (notifiedAt IS NULL OR notifiedAt < windowStart) ${RETURNING}`;

export function attemptStore(db: D1Database) {
  return {
    async reserve(key: string, rule: AccountLimitRule, now = Date.now()): Promise<Reservation> {
      const windowMs = rule.window * 1000;
      const reserved = await db
        .prepare(RESERVE)
        .bind(
          key,
          now,
          now - windowMs,
          rule.free,
          rule.firstDelay * 1000,
          rule.maxDelay * 1000,
          rule.maxPerWindow,
        )
        .first<AttemptCount>();
      if (reserved) return { allowed: true, count: reserved };
      const count = await db.prepare(REFUSE).bind(key).first<AttemptCount>();
      // The row always exists here (a refusal needs one); a deleted table would be a 500 above.
      if (!count) return { allowed: false, count: emptyCount(now), retryAfterSeconds: 1 };
      const waitUntil = Math.max(
        count.nextAllowedAt,
        count.attempts >= rule.maxPerWindow ? count.windowStart + windowMs : 0,
      );
      return { allowed: false, count, retryAfterSeconds: Math.max(1, Math.ceil((waitUntil - now) / 1000)) };
    },

    async reset(key: string): Promise<void> {
      await db.prepare(RESET).bind(key).run();
    },

    async refund(key: string): Promise<void> {
      await db.prepare(REFUND).bind(key).run();
    },

    /** The row when this call claimed the window's notice, undefined when another request had. */
    async claimNotice(key: string, now = Date.now()): Promise<AttemptCount | undefined> {
      return (await db.prepare(CLAIM_NOTICE).bind(key, now).first<AttemptCount>()) ?? undefined;
    },
  };
}

export type AttemptStore = ReturnType<typeof attemptStore>;

function emptyCount(now: number): AttemptCount {
  return { attempts: 0, refused: 0, nextAllowedAt: now, windowStart: now, notifiedAt: null };
}

/** Attempts judged or turned away in this window since the last success. */
export function failuresOf(count: AttemptCount): number {
  return count.attempts + count.refused;
}

/** Whether this window's notice is still to be sent. */
export function noticeDue(count: AttemptCount, rule: AccountLimitRule): boolean {
  if (rule.notifyAfter === undefined || failuresOf(count) < rule.notifyAfter) return false;
  return count.notifiedAt === null || count.notifiedAt < count.windowStart;
}
