/**
 * Better Auth's per-IP limiter, counted in D1 with one statement per request (`rateLimit.customStorage`).
 * Better Auth's own database storage reads the row and then updates it conditionally: two round
 * trips to the primary on every limited request, three when a window restarts. This upsert decides
 * and counts in one, atomically, so requests sent at once never get past `max`. The rule is Better
 * Auth's, unchanged: a window runs from the last counted request, and a request `window` seconds
 * after it starts the count afresh.
 */
import type { BetterAuthOptions } from "better-auth";

type RateLimitStorage = NonNullable<NonNullable<BetterAuthOptions["rateLimit"]>["customStorage"]>;

// Parameters: ?1 a new row's id, ?2 key, ?3 now, ?4 a window ago, ?5 max.
/** A new row, a window started afresh, or one more request under `max`. No row back means turned away. */
const CONSUME = `INSERT INTO rateLimit (id, key, count, lastRequest) VALUES (?1, ?2, 1, ?3)
ON CONFLICT(key) DO UPDATE SET
  count = CASE WHEN lastRequest <= ?4 THEN 1 ELSE count + 1 END,
  lastRequest = ?3
WHERE lastRequest <= ?4 OR count < ?5
RETURNING count`;

/** Only for a refusal: when the window frees up. */
const LAST_REQUEST = "SELECT lastRequest FROM rateLimit WHERE key = ?1";

/** A refusal whose window ended in between (or whose row was pruned) counts again, this many times at most. */
const RETRIES = 2;

export function d1RateLimitStorage(db: D1Database): RateLimitStorage {
  return {
    async consume(key, rule) {
      const windowMs = rule.window * 1000;
      for (let attempt = 0; ; attempt++) {
        const now = Date.now();
        const counted = await db
          .prepare(CONSUME)
          .bind(crypto.randomUUID(), key, now, now - windowMs, rule.max)
          .first<{ count: number }>();
        if (counted) return { allowed: true, retryAfter: null };
        const row = await db.prepare(LAST_REQUEST).bind(key).first<{ lastRequest: number }>();
        const freeAt = row ? Number(row.lastRequest) + windowMs : 0;
        if (freeAt > Date.now() || attempt >= RETRIES) {
          return { allowed: false, retryAfter: Math.max(1, Math.ceil((freeAt - Date.now()) / 1000)) };
        }
      }
    },
  };
}
