/** What the audit log records: its event types, sign-in methods and the shape of one event. */

export const AUDIT_EVENT_TYPES = [
  "sign-in.success",
  "sign-in.failure",
  "sign-up",
  "sign-out",
  "password.change",
  "email.change",
  "two-factor.enable",
  "two-factor.disable",
  "passkey.add",
  "passkey.remove",
  "account.link",
  "account.unlink",
  "api-key.create",
  "api-key.revoke",
  "oauth.client-register",
  "oauth.consent-grant",
  "oauth.consent-revoke",
  "admin.ban",
  "admin.unban",
  "admin.set-role",
  "admin.impersonate-start",
  "admin.impersonate-stop",
  "admin.delete-user",
  "admin.revoke-sessions",
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export type SignInMethod =
  | "password"
  | "otp"
  | "magic-link"
  | "passkey"
  | "social"
  | "anonymous"
  | "two-factor";

/** One event as a hook reports it; the request scope adds when, the IP and the user agent. */
export interface AuditEvent {
  type: AuditEventType;
  userId: string | null;
  /** Who did it; absent, the user themself. */
  actorId?: string | null;
  organizationId?: string | null;
  method?: SignInMethod;
  /** Small and free of secrets: ids, a reason, a hashed address. */
  detail?: Record<string, string | number | boolean | null>;
}

/** A row as written to and read from `auditLog`. */
export interface AuditRow {
  id: string;
  at: number;
  type: string;
  userId: string | null;
  actorId: string | null;
  ip: string | null;
  userAgent: string | null;
  organizationId: string | null;
  method: string | null;
  detail: string | null;
}

export function isAuditEventType(value: string): value is AuditEventType {
  return (AUDIT_EVENT_TYPES as readonly string[]).includes(value);
}

/** A plugin's part of the audit log: the paths of its own endpoints and what each records. */
export interface PluginAudit {
  /** Endpoints that end in a new session, with the sign-in method they record. */
  signIns?: Record<string, SignInMethod>;
  /** Signed-in actions on the caller's own account. */
  ownActions?: Record<string, AuditEventType>;
  /** Admin actions on another user (`body.userId`), with the admin as the actor. */
  adminActions?: Record<string, AuditEventType>;
}
