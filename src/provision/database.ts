/** The stage's D1 database, with every migration in migrations/ applied (tracked in d1_migrations). */
import { D1Database } from "alchemy/cloudflare";
import type { DeploymentPlan } from "../plan/types.ts";

export function provisionDatabase(plan: DeploymentPlan, migrationsDir: string) {
  return D1Database("database", {
    name: plan.names.database,
    migrationsDir,
  });
}
