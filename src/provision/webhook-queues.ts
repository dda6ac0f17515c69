/**
 * The webhook queues (worker/webhooks/): deliveries, and the dead-letter queue that keeps what used
 * up its retries. Declared only when the config has endpoints; locally Miniflare runs both.
 */
import { Queue } from "alchemy/cloudflare";
import type { DeploymentPlan } from "../plan/types.ts";

export type WebhookQueues = { queue: Queue; deadLetters: Queue };

export async function provisionWebhookQueues(
  plan: Pick<DeploymentPlan, "names">,
): Promise<WebhookQueues | undefined> {
  const names = plan.names.webhooks;
  if (!names) return undefined;
  // Resource ids are the physical names, as for KV (kv.ts): local state is keyed by them per stage.
  const deadLetters = await Queue(names.deadLetters, { name: names.deadLetters });
  const queue = await Queue(names.queue, { name: names.queue, dlq: deadLetters });
  return { queue, deadLetters };
}

/**
 * The Worker consumes both. The delivery consumer retries by the endpoint's own schedule
 * (message.retry); the queue's maxRetries is only a backstop for a consumer that keeps throwing.
 */
export function webhookEventSources({ queue, deadLetters }: WebhookQueues) {
  return [
    {
      queue,
      settings: { batchSize: 10, maxWaitTimeMs: 1000, maxRetries: 100, deadLetterQueue: deadLetters },
    },
    { queue: deadLetters, settings: { batchSize: 10, maxWaitTimeMs: 1000, maxRetries: 100 } },
  ];
}
