/**
 * Webhooks: the events a config may subscribe to (each fed by audit events, worker/audit/), the retry
 * schedule, and the Queue bindings. One copy for the config, the plan and the Worker.
 */

/** Webhook event → the audit event types that raise it. */
export const WEBHOOK_EVENTS = {
  "user.created": ["sign-up"],
  "user.deleted": ["admin.delete-user"],
  "user.banned": ["admin.ban"],
  "user.unbanned": ["admin.unban"],
  "user.role-changed": ["admin.set-role"],
  "user.password-changed": ["password.change"],
  "user.email-changed": ["email.change"],
  "session.created": ["sign-in.success"],
  "session.ended": ["sign-out"],
  "sessions.revoked": ["admin.revoke-sessions"],
  "sign-in.failed": ["sign-in.failure"],
  "two-factor.enabled": ["two-factor.enable"],
  "two-factor.disabled": ["two-factor.disable"],
  "passkey.added": ["passkey.add"],
  "passkey.removed": ["passkey.remove"],
  "api-key.created": ["api-key.create"],
  "api-key.revoked": ["api-key.revoke"],
  "oauth.client-registered": ["oauth.client-register"],
  "oauth.consent-granted": ["oauth.consent-grant"],
  "oauth.consent-revoked": ["oauth.consent-revoke"],
} as const satisfies Record<string, readonly string[]>;

export type WebhookEvent = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_NAMES = Object.keys(WEBHOOK_EVENTS) as WebhookEvent[];

/**
 * Seconds before each retry of a failed delivery: 8 retries over about 21 hours (Standard Webhooks'
 * advice), each within a Queue's 12-hour delay cap. After the last, the event goes to the dead-letter queue.
 */
export const DEFAULT_WEBHOOK_RETRY_DELAYS = [5, 30, 120, 600, 1800, 7200, 21600, 43200];
/** A Queue message's longest delay. */
export const MAX_WEBHOOK_RETRY_DELAY = 43_200;

/** One endpoint as the Worker receives it (src/plan → manifest). */
export interface WebhookEndpoint {
  url: string;
  events: WebhookEvent[];
  /** The Worker secret holding the endpoint's signing secret (`whsec_…`). */
  secretEnv: string;
  retryDelaysSeconds: number[];
}

/** The Worker's bindings: the delivery queue (producer and consumer) and its dead-letter queue. */
export const WEBHOOK_BINDINGS = { queue: "WEBHOOKS", deadLetters: "WEBHOOKS_DLQ" } as const;
