/**
 * The audit log's table. No foreign keys: an event outlives the user it names (a deleted user's
 * `admin.delete-user` stays readable), and a write never waits on a lookup.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const auditLog = sqliteTable(
  "auditLog",
  {
    id: text("id").primaryKey(),
    /** When it happened, in ms since the epoch. */
    at: integer("at").notNull(),
    /** An AuditEventType (worker/audit/event-types.ts). */
    type: text("type").notNull(),
    /** The account it happened to; null for a failed sign-in to an unknown address. */
    userId: text("userId"),
    /** Who did it: the user themself, or the admin acting on them. */
    actorId: text("actorId"),
    ip: text("ip"),
    userAgent: text("userAgent"),
    organizationId: text("organizationId"),
    /** Sign-ins only: password, otp, magic-link, passkey, social, anonymous, two-factor. */
    method: text("method"),
    /** Small JSON object with the event's particulars; never a password or a secret. */
    detail: text("detail"),
  },
  (table) => [
    index("auditLog_userId_at_idx").on(table.userId, table.at),
    index("auditLog_type_at_idx").on(table.type, table.at),
    // The prune deletes by age alone.
    index("auditLog_at_idx").on(table.at),
  ],
);
