/** The Worker's `scheduled` handler: the Cron Trigger provisioned with it prunes the audit log. */
import type { WorkerEnv } from "../env.ts";
import type { WorkerSpec } from "../spec.ts";
import { pruneAuditLog, retentionDays } from "./prune.ts";

export function auditScheduled(spec: WorkerSpec) {
  return (_controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): void => {
    ctx.waitUntil(
      pruneAuditLog(env.DB, retentionDays(spec.manifest)).then((removed) => {
        console.log(`audit: pruned ${removed} event(s) older than ${retentionDays(spec.manifest)} days`);
      }),
    );
  };
}
