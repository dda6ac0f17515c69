/**
 * Puts a request's webhook messages on the queue after the response, beside the audit write. A failed
 * send is logged and counted (`webhooks.enqueueFailures` in /api/v1/system/status), never thrown.
 */
import type { WebhookEndpoint } from "../../src/contract/webhooks.ts";
import type { AuditRow } from "../audit/event-types.ts";
import type { WorkerEnv } from "../env.ts";
import { webhookMessages } from "./messages.ts";

let failures = 0;

export function webhookEnqueueFailures(): number {
  return failures;
}

/** A Queue's sendBatch takes at most 100 messages. */
const BATCH = 100;

export function webhookEnqueuer(endpoints: readonly WebhookEndpoint[]) {
  return async (env: WorkerEnv, rows: readonly AuditRow[]): Promise<void> => {
    const messages = webhookMessages(endpoints, rows);
    if (messages.length === 0) return;
    const queue = env.WEBHOOKS;
    if (!queue) {
      failures += messages.length;
      console.error(`webhooks: ${messages.length} event(s) not queued: the WEBHOOKS queue is not bound`);
      return;
    }
    for (let i = 0; i < messages.length; i += BATCH) {
      const chunk = messages.slice(i, i + BATCH);
      try {
        await queue.sendBatch(chunk.map((body) => ({ body, contentType: "json" as const })));
      } catch (err) {
        failures += chunk.length;
        console.error(
          `webhooks: ${chunk.length} event(s) not queued:`,
          err instanceof Error ? err.message : err,
        );
      }
    }
  };
}
