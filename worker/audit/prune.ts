/** Retention: the daily Cron Trigger (AUDIT_PRUNE_CRON) deletes events older than the config's days. */
import { DEFAULT_AUDIT_RETENTION_DAYS } from "../../src/contract/audit.ts";
import type { RuntimeManifest } from "../../src/contract/manifest.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

export function retentionDays(manifest: RuntimeManifest): number {
  return manifest.audit?.retentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS;
}

/** Deletes every event from before `now - days`; returns how many went. */
export async function pruneAuditLog(db: D1Database, days: number, now = Date.now()): Promise<number> {
  const result = await db
    .prepare("DELETE FROM auditLog WHERE at < ?")
    .bind(now - days * DAY_MS)
    .run();
  return result.meta.changes ?? 0;
}
