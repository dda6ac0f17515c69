/**
 * Attempt counters no window reads any more, deleted by the daily Cron Trigger. Better Auth's own
 * limiter storage pruned its rows as it counted; the one-statement storage (rate-limit-storage.ts)
 * leaves that here, off the request path. A day is longer than every window: the per-IP rules' (a
 * minute at most) and the per-account ones' (an hour, with waits of minutes).
 */
const DAY_MS = 24 * 60 * 60 * 1000;

/** Deletes per-IP and per-account counters idle for a day; returns how many rows went. */
export async function pruneCounters(db: D1Database, now = Date.now()): Promise<number> {
  const before = now - DAY_MS;
  const results = await db.batch([
    db.prepare("DELETE FROM rateLimit WHERE lastRequest < ?1").bind(before),
    db.prepare("DELETE FROM accountAttempt WHERE windowStart < ?1 AND nextAllowedAt < ?1").bind(before),
  ]);
  return results.reduce((sum, r) => sum + (r.meta.changes ?? 0), 0);
}
