/** The jwt plugin's table: its signing keys, private keys encrypted (conventions: worker/db/core-schema.ts). */
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const jwks = sqliteTable("jwks", {
  id: text("id").primaryKey(),
  publicKey: text("publicKey").notNull(),
  privateKey: text("privateKey").notNull(),
  createdAt: integer("createdAt", { mode: "timestamp_ms" }).notNull(),
  expiresAt: integer("expiresAt", { mode: "timestamp_ms" }),
  alg: text("alg"),
  crv: text("crv"),
});
