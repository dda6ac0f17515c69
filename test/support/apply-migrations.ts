/** migrations/*.sql applied to a D1 database in order, as a deploy applies them to the real one. */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { ROOT } from "./stack.ts";

/** Each file is one batch; drizzle-kit's statement breakpoints split it. `only` picks files by name. */
export async function applyMigrations(
  db: D1Database,
  only: (file: string) => boolean = () => true,
): Promise<void> {
  const dir = path.join(ROOT, "migrations");
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql") && only(f)).sort();
  for (const file of files) {
    const sql = await readFile(path.join(dir, file), "utf8");
    const statements = sql.split("--> statement-breakpoint").filter((s) => s.trim());
    await db.batch(statements.map((s) => db.prepare(s)));
  }
}
