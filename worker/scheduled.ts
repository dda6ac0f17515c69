/**
 * The Worker's `scheduled` handler. The daily Cron Trigger provisioned with it (AUDIT_PRUNE_CRON)
 * prunes the audit log past its retention and the attempt counters no window reads any more.
 */
import { pruneAuditLog, retentionDays } from "./audit/prune.ts";
import { pruneCounters } from "./auth/prune-counters.ts";
import type { WorkerEnv } from "./env.ts";
import type { WorkerSpec } from "./spec.ts";

export function scheduledPrune(spec: WorkerSpec) {
  return (_controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): void => {
    const days = retentionDays(spec.manifest);
    ctx.waitUntil(
      pruneAuditLog(env.DB, days).then((removed) => {
        console.log(`audit: pruned ${removed} event(s) older than ${days} days`);
      }),
    );
    ctx.waitUntil(
      pruneCounters(env.DB).then((removed) => {
        console.log(`limits: pruned ${removed} idle attempt counter(s)`);
      }),
    );
  };
}
