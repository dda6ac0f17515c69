/**
 * The dead-letter queue's consumer: keeps each given-up delivery in D1 (`webhookDeadLetter`), once per
 * webhook id, for an operator to inspect and replay. Messages the queue itself gave up on (a consumer
 * that kept failing) arrive without attempts or an error, and are kept all the same.
 */
import type { WebhookMessage } from "./messages.ts";

export interface DeadLetter extends WebhookMessage {
  attempts: number;
  lastError: string;
}

const INSERT =
  "INSERT INTO webhookDeadLetter (id, endpointUrl, type, payload, attempts, lastError, failedAt) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";

export async function keepDeadLetters(batch: MessageBatch<unknown>, db: D1Database): Promise<void> {
  const statement = db.prepare(INSERT);
  const now = Date.now();
  // Thrown on failure: the whole batch is retried, and the insert is idempotent by id.
  await db.batch(
    batch.messages.map((message) => {
      const letter = message.body as Partial<DeadLetter> & WebhookMessage;
      return statement.bind(
        letter.id,
        letter.url,
        letter.type,
        letter.body,
        letter.attempts ?? message.attempts,
        letter.lastError ?? "the queue gave up on the delivery",
        now,
      );
    }),
  );
  batch.ackAll();
}
