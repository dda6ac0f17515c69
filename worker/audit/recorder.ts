/**
 * Writes audit events to D1, after the response. A failed write is logged and counted, never
 * thrown: the request it describes has already been answered. The count is per isolate and shown
 * in /api/v1/system/status (`audit.writeFailures`).
 */
import type { AuditRow } from "./event-types.ts";

let failures = 0;

export function auditWriteFailures(): number {
  return failures;
}

const INSERT =
  "INSERT INTO auditLog (id, at, type, userId, actorId, ip, userAgent, organizationId, method, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/** One batch (one round trip) for all of a request's events. */
export async function writeAuditRows(db: D1Database, rows: AuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  try {
    const statement = db.prepare(INSERT);
    await db.batch(
      rows.map((r) =>
        statement.bind(
          r.id,
          r.at,
          r.type,
          r.userId,
          r.actorId,
          r.ip,
          r.userAgent,
          r.organizationId,
          r.method,
          r.detail,
        ),
      ),
    );
  } catch (err) {
    failures += rows.length;
    console.error(`audit: ${rows.length} event(s) not recorded:`, err instanceof Error ? err.message : err);
  }
}
