/**
 * The twoFactor plugin's table, as Better Auth's two-factor plugin declares it, plus authform's
 * `lastTotpStep` (totp-replay.ts). Its `user.twoFactorEnabled` is in worker/db/core-schema.ts.
 * Conventions: worker/db/core-schema.ts.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { user } from "../../../db/core-schema.ts";

export const twoFactor = sqliteTable(
  "twoFactor",
  {
    id: text("id").primaryKey(),
    // Encrypted with BETTER_AUTH_SECRET (Better Auth's symmetricEncrypt), as are the backup codes.
    secret: text("secret").notNull(),
    backupCodes: text("backupCodes").notNull(),
    userId: text("userId")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    verified: integer("verified", { mode: "boolean" }).default(true),
    failedVerificationCount: integer("failedVerificationCount").default(0),
    lockedUntil: integer("lockedUntil", { mode: "timestamp_ms" }),
    lastTotpStep: integer("lastTotpStep"),
  },
  (t) => [index("twoFactor_secret_idx").on(t.secret), index("twoFactor_userId_idx").on(t.userId)],
);
