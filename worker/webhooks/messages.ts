/** What goes on the webhook queue: one message per event and endpoint, so each endpoint retries alone. */
import { WEBHOOK_EVENTS, type WebhookEndpoint, type WebhookEvent } from "../../src/contract/webhooks.ts";
import type { AuditRow } from "../audit/event-types.ts";

export interface WebhookMessage {
  /** The `webhook-id`: the same on every attempt, so receivers drop a repeat. */
  id: string;
  /** The endpoint it is for (a config change between enqueue and delivery is checked by URL). */
  url: string;
  /** The JSON body every attempt sends: `{ type, timestamp, data }`. */
  body: string;
  type: WebhookEvent;
}

/** Audit type → the webhook events it raises. */
const EVENTS_BY_AUDIT_TYPE = new Map<string, WebhookEvent[]>();
for (const [event, auditTypes] of Object.entries(WEBHOOK_EVENTS) as [WebhookEvent, readonly string[]][]) {
  for (const type of auditTypes)
    EVENTS_BY_AUDIT_TYPE.set(type, [...(EVENTS_BY_AUDIT_TYPE.get(type) ?? []), event]);
}

export function webhookMessages(
  endpoints: readonly WebhookEndpoint[],
  rows: readonly AuditRow[],
): WebhookMessage[] {
  const messages: WebhookMessage[] = [];
  for (const row of rows) {
    for (const type of EVENTS_BY_AUDIT_TYPE.get(row.type) ?? []) {
      const body = JSON.stringify({
        type,
        timestamp: new Date(row.at).toISOString(),
        data: {
          userId: row.userId,
          actorId: row.actorId,
          organizationId: row.organizationId,
          method: row.method,
          detail: row.detail === null ? null : JSON.parse(row.detail),
        },
      });
      endpoints.forEach((endpoint, index) => {
        if (!endpoint.events.includes(type)) return;
        messages.push({ id: `msg_${row.id.replaceAll("-", "")}_${index}`, url: endpoint.url, body, type });
      });
    }
  }
  return messages;
}
