/** The apiKey plugin's table, as @better-auth/api-key declares it (conventions: worker/db/core-schema.ts). */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const apikey = sqliteTable(
  "apikey",
  {
    id: text("id").primaryKey(),
    configId: text("configId").default("default").notNull(),
    name: text("name"),
    start: text("start"),
    // The owner: a user id, or an organization id for org-owned keys; so no foreign key.
    referenceId: text("referenceId").notNull(),
    prefix: text("prefix"),
    key: text("key").notNull(),
    refillInterval: integer("refillInterval"),
    refillAmount: integer("refillAmount"),
    lastRefillAt: integer("lastRefillAt", { mode: "timestamp_ms" }),
    enabled: integer("enabled", { mode: "boolean" }).default(true),
    rateLimitEnabled: integer("rateLimitEnabled", { mode: "boolean" }).default(true),
    rateLimitTimeWindow: integer("rateLimitTimeWindow").default(86400000),
    rateLimitMax: integer("rateLimitMax").default(10),
    requestCount: integer("requestCount").default(0),
    remaining: integer("remaining"),
    lastRequest: integer("lastRequest", { mode: "timestamp_ms" }),
    expiresAt: integer("expiresAt", { mode: "timestamp_ms" }),
    createdAt: integer("createdAt", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updatedAt", { mode: "timestamp_ms" }).notNull(),
    permissions: text("permissions"),
    metadata: text("metadata"),
  },
  (t) => [
    index("apikey_configId_idx").on(t.configId),
    index("apikey_referenceId_idx").on(t.referenceId),
    index("apikey_key_idx").on(t.key),
  ],
);
