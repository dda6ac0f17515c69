/**
 * The webhook queue's consumer: POSTs each message to its endpoint, signed per Standard Webhooks. A
 * 2xx acknowledges it; anything else is retried after the endpoint's next delay, and once the delays
 * are used up the message goes to the dead-letter queue with its last error.
 */
import type { WebhookEndpoint } from "../../src/contract/webhooks.ts";
import type { WorkerEnv } from "../env.ts";
import type { DeadLetter } from "./dead-letters.ts";
import type { WebhookMessage } from "./messages.ts";
import { signWebhook } from "./signature.ts";

/** A receiver gets this long to answer; a slow one is a failed attempt, retried later. */
const DELIVERY_TIMEOUT_MS = 15_000;

export function webhookDeliverer(endpoints: readonly WebhookEndpoint[]) {
  return async (batch: MessageBatch<unknown>, env: WorkerEnv): Promise<void> => {
    // One batch's deliveries go out together: a slow receiver does not hold up another's.
    await Promise.all(
      batch.messages.map(async (message) => {
        const body = message.body as WebhookMessage;
        const endpoint = endpoints.find((e) => e.url === body.url);
        if (!endpoint) {
          // The config dropped this endpoint after the event was queued: nobody is waiting for it.
          console.warn(`webhooks: ${body.id} dropped: ${body.url} is no longer configured`);
          message.ack();
          return;
        }
        const outcome = await attempt(endpoint, body, env);
        if (outcome === "delivered") {
          message.ack();
          return;
        }
        const delay = endpoint.retryDelaysSeconds[message.attempts - 1];
        if (delay !== undefined) {
          message.retry({ delaySeconds: delay });
          return;
        }
        await deadLetter(env, body, message.attempts, outcome);
        message.ack();
      }),
    );
  };
}

/** "delivered", or what went wrong in words (kept with a dead letter). */
async function attempt(endpoint: WebhookEndpoint, message: WebhookMessage, env: WorkerEnv): Promise<string> {
  const secret = (env as unknown as Record<string, unknown>)[endpoint.secretEnv];
  if (typeof secret !== "string" || secret === "")
    return `the Worker secret ${endpoint.secretEnv} is not set`;
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const res = await fetch(endpoint.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "authform-webhooks",
        "webhook-id": message.id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": await signWebhook(secret, message.id, timestamp, message.body),
      },
      body: message.body,
      redirect: "manual",
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await res.body?.cancel();
    return res.ok ? "delivered" : `HTTP ${res.status}`;
  } catch (err) {
    return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  }
}

async function deadLetter(env: WorkerEnv, message: WebhookMessage, attempts: number, lastError: string) {
  const letter: DeadLetter = { ...message, attempts, lastError };
  if (!env.WEBHOOKS_DLQ) throw new Error("webhooks: the WEBHOOKS_DLQ queue is not bound");
  // Thrown on failure: the message is then retried by the queue itself rather than lost.
  await env.WEBHOOKS_DLQ.send(letter, { contentType: "json" });
}
