/**
 * The tables every stack has: Better Auth's core (user, session, account, verification), D1 rate
 * limiting, and authform's own. Each plugin's tables sit in its folder (worker/auth/plugins/<name>/
 * schema.ts); worker/db/schema.ts puts them together.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Conventions (checked against getAuthTables by test/db/schema.test.ts):
// - Table and column names are Better Auth's model and field names, camelCase, so the Kysely D1
//   dialect (which never renames) and the drizzle adapter (which keys by property) both fit.
// - Types follow @better-auth/drizzle-adapter's own sqlite generator (date → integer timestamp_ms,
//   boolean → integer boolean, number → integer, string → text) except string[]/json: plain text,
//   not text json. On sqlite the adapter already JSON.stringifies those values, so json mode would
//   store them double-encoded (better-auth#8655); plain text stores the JSON once, as Kysely does.
//   The SQL is `text` either way.
// - NOT NULL whenever the field's `required` is not false: Better Auth documents `required`
//   as defaulting to true and `auth migrate` does the same; the drizzle generator alone treats
//   an unset `required` as optional.
// - References with no declared onDelete cascade, as both of Better Auth's generators emit.
// - Index names are Better Auth's (`<table>_<column>_idx`, `…_uidx`); plain `unique` fields use
//   drizzle's `.unique()`, as the generator does.

/** Better Auth fills these itself; the SQL default only covers rows written outside Better Auth. */
export const nowMs = sql`(cast(unixepoch('subsecond') * 1000 as integer))`;
export const now = () => new Date();

// ---- core (+ anonymous: user.isAnonymous, twoFactor: user.twoFactorEnabled,
//      organization: session.activeOrganizationId, admin: user.role, banned, banReason,
//      banExpires and session.impersonatedBy) ----

export const user = sqliteTable("user", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  emailVerified: integer("emailVerified", { mode: "boolean" }).default(false).notNull(),
  image: text("image"),
  createdAt: integer("createdAt", { mode: "timestamp_ms" }).default(nowMs).notNull(),
  updatedAt: integer("updatedAt", { mode: "timestamp_ms" }).default(nowMs).$onUpdate(now).notNull(),
  isAnonymous: integer("isAnonymous", { mode: "boolean" }).default(false),
  twoFactorEnabled: integer("twoFactorEnabled", { mode: "boolean" }).default(false),
  role: text("role"),
  banned: integer("banned", { mode: "boolean" }).default(false),
  banReason: text("banReason"),
  banExpires: integer("banExpires", { mode: "timestamp_ms" }),
});

export const session = sqliteTable(
  "session",
  {
    id: text("id").primaryKey(),
    expiresAt: integer("expiresAt", { mode: "timestamp_ms" }).notNull(),
    token: text("token").notNull().unique(),
    createdAt: integer("createdAt", { mode: "timestamp_ms" }).default(nowMs).notNull(),
    updatedAt: integer("updatedAt", { mode: "timestamp_ms" }).$onUpdate(now).notNull(),
    ipAddress: text("ipAddress"),
    userAgent: text("userAgent"),
    userId: text("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    activeOrganizationId: text("activeOrganizationId"),
    impersonatedBy: text("impersonatedBy"),
  },
  (t) => [index("session_userId_idx").on(t.userId)],
);

export const account = sqliteTable(
  "account",
  {
    id: text("id").primaryKey(),
    accountId: text("accountId").notNull(),
    providerId: text("providerId").notNull(),
    userId: text("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    accessToken: text("accessToken"),
    refreshToken: text("refreshToken"),
    idToken: text("idToken"),
    accessTokenExpiresAt: integer("accessTokenExpiresAt", { mode: "timestamp_ms" }),
    refreshTokenExpiresAt: integer("refreshTokenExpiresAt", { mode: "timestamp_ms" }),
    scope: text("scope"),
    password: text("password"),
    createdAt: integer("createdAt", { mode: "timestamp_ms" }).default(nowMs).notNull(),
    updatedAt: integer("updatedAt", { mode: "timestamp_ms" }).$onUpdate(now).notNull(),
  },
  (t) => [index("account_userId_idx").on(t.userId)],
);

/** Also holds emailOTP codes and magic-link tokens (both plugins store them here). */
export const verification = sqliteTable(
  "verification",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: integer("expiresAt", { mode: "timestamp_ms" }).notNull(),
    createdAt: integer("createdAt", { mode: "timestamp_ms" }).default(nowMs).notNull(),
    updatedAt: integer("updatedAt", { mode: "timestamp_ms" }).default(nowMs).$onUpdate(now).notNull(),
  },
  (t) => [index("verification_identifier_idx").on(t.identifier)],
);

// ---- rate limiting (rateLimit.storage "database", worker/auth/rate-limit.ts) ----

/** One counter per client IP + path; `lastRequest` is epoch ms (Better Auth's bigint number). */
export const rateLimit = sqliteTable("rateLimit", {
  id: text("id").primaryKey(),
  key: text("key").notNull().unique(),
  count: integer("count").notNull(),
  lastRequest: integer("lastRequest").default(nowMs).notNull(),
});

// ---- authform's own (not Better Auth's; its adapter never sees them) ----

/**
 * Per-account attempt counters (worker/auth/account-limits): one row per limit group and account.
 * `key` is `<group>:<HMAC of the address>`, never the address. Times are epoch ms.
 */
export const accountAttempt = sqliteTable("accountAttempt", {
  key: text("key").primaryKey(),
  /** When this window's first attempt came; the count starts afresh a window later. */
  windowStart: integer("windowStart").notNull(),
  /** Attempts let through in this window since the last success. */
  attempts: integer("attempts").notNull(),
  /** Attempts turned away (too early) in this window since the last success. */
  refused: integer("refused").default(0).notNull(),
  /** The next attempt waits until then (the progressive delay). */
  nextAllowedAt: integer("nextAllowedAt").notNull(),
  /** When the account's address was told about a burst of failures, at most once a window. */
  notifiedAt: integer("notifiedAt"),
});
