/**
 * Deliveries that used up their retries, kept for an operator to inspect and replay: the dead-letter
 * queue's consumer writes each here once (by message id).
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const webhookDeadLetter = sqliteTable(
  "webhookDeadLetter",
  {
    /** The delivery's `webhook-id`, the same on every attempt. */
    id: text("id").primaryKey(),
    endpointUrl: text("endpointUrl").notNull(),
    /** A WebhookEvent (src/contract/webhooks.ts). */
    type: text("type").notNull(),
    /** The JSON body every attempt sent. */
    payload: text("payload").notNull(),
    attempts: integer("attempts").notNull(),
    /** The last attempt's outcome: an HTTP status, or the network error. */
    lastError: text("lastError"),
    /** When it was given up, in ms since the epoch. */
    failedAt: integer("failedAt").notNull(),
  },
  (table) => [index("webhookDeadLetter_failedAt_idx").on(table.failedAt)],
);
