/** drizzle-kit config: `npx drizzle-kit generate` turns worker/db/schema.ts into migrations/*.sql. */
import { defineConfig } from "drizzle-kit";

// Alchemy's D1Database applies every migrations/*.sql in name order and records it in d1_migrations.
export default defineConfig({
  dialect: "sqlite",
  schema: "./worker/db/schema.ts",
  out: "./migrations",
});
