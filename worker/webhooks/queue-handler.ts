/** The Worker's `queue` handler: webhook deliveries, and the dead-letter queue's batches. */
import type { WebhookEndpoint } from "../../src/contract/webhooks.ts";
import type { WorkerEnv } from "../env.ts";
import { keepDeadLetters } from "./dead-letters.ts";
import { webhookDeliverer } from "./deliver.ts";

export function webhookQueueHandler(endpoints: readonly WebhookEndpoint[]) {
  const deliver = webhookDeliverer(endpoints);
  return async (batch: MessageBatch<unknown>, env: WorkerEnv): Promise<void> => {
    if (batch.queue === env.AUTHFORM_WEBHOOKS_DLQ) return keepDeadLetters(batch, env.DB);
    return deliver(batch, env);
  };
}
