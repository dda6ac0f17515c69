/** Runs the plan through Alchemy: the only code that creates, updates or deletes resources. */
import alchemy from "alchemy";
import type { DeploymentPlan } from "../plan/types.ts";
import { provisionDatabase } from "./database.ts";
import { provisionSecrets } from "./secrets.ts";
import { provisionWorker } from "./worker.ts";

export interface StackPaths {
  entrypoint: string;
  migrationsDir: string;
}

export interface StackOptions {
  /** Encrypts secrets in state. */
  password: string;
  env: Record<string, string | undefined>;
}

/** Opens the app's scope for a plan's stage. Alchemy's own CLI parsing is off: authform passes every option. */
function openScope(plan: Pick<DeploymentPlan, "app" | "stage" | "mode">, options: StackOptions) {
  return alchemy(plan.app, {
    stage: plan.stage,
    phase: "up",
    local: plan.mode === "local",
    password: options.password,
    noTrack: true,
  });
}

export async function deployStack(plan: DeploymentPlan, paths: StackPaths, options: StackOptions) {
  const scope = await openScope(plan, options);
  const database = await provisionDatabase(plan, paths.migrationsDir);
  const secrets = await provisionSecrets(plan, options.env);
  const worker = await provisionWorker(plan, { entrypoint: paths.entrypoint, database, secrets });
  await scope.finalize();
  return { url: worker.url, databaseId: database.dev?.id ?? database.id };
}

/** Destroys a stage by declaring nothing: Alchemy deletes every resource its state still holds. */
export async function destroyStack(
  plan: Pick<DeploymentPlan, "app" | "stage" | "mode">,
  options: StackOptions,
) {
  const scope = await openScope(plan, options);
  await scope.finalize();
}
