/** Runs the plan through Alchemy: the only code that creates, updates or deletes resources. */
import alchemy, { type StateStoreType } from "alchemy";
import type { DeploymentPlan } from "../plan/types.ts";
import { keepStageData, provisionDatabase } from "./database.ts";
import { provisionSecrets } from "./secrets.ts";
import { provisionSesIdentity, reportSesIdentity } from "./ses-setup.ts";
import {
  adoptIfRecovering,
  chooseStateStoreKind,
  createStateStore,
  recordingStateStore,
  remainingResources,
  type StateChange,
} from "./state-store.ts";
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
function openScope(
  plan: Pick<DeploymentPlan, "app" | "stage" | "mode">,
  options: StackOptions,
  store: StateStoreType,
  changes: StateChange[] = [],
) {
  return alchemy(plan.app, {
    stage: plan.stage,
    phase: "up",
    local: plan.mode === "local",
    password: options.password,
    noTrack: true,
    stateStore: recordingStateStore(store, changes),
  });
}

function stateStoreFor(plan: Pick<DeploymentPlan, "mode">, options: StackOptions) {
  return createStateStore(chooseStateStoreKind(options.env, plan.mode), options.env);
}

export async function deployStack(plan: DeploymentPlan, paths: StackPaths, options: StackOptions) {
  const startedAt = new Date();
  const changes: StateChange[] = [];
  const store = await stateStoreFor(plan, options);
  // Opened here, not inside an awaited helper: Alchemy keeps the current scope in async context.
  const scope = await openScope(plan, options, store, changes);
  // alchemy() returns the app's scope; the stage's resources live in its stage scope.
  await adoptIfRecovering(scope.children.get(plan.stage) ?? scope);
  const database = await provisionDatabase(plan, paths.migrationsDir);
  const secrets = await provisionSecrets(plan, options.env);
  // Deploys through SES only: create/read the sending identity before the Worker that uses it.
  const sesIdentity = await provisionSesIdentity(plan, secrets);
  const worker = await provisionWorker(plan, { entrypoint: paths.entrypoint, database, secrets });
  await scope.finalize();
  if (sesIdentity) console.log((await reportSesIdentity(sesIdentity, secrets, startedAt)).join("\n"));
  return { url: worker.url, databaseId: database.dev?.id ?? database.id, changes, sesIdentity };
}

/**
 * Destroys a stage by declaring nothing: Alchemy deletes every resource its state still holds —
 * except, with `keepData`, the database and generated secrets. Reports what failed, what was
 * kept and what else the state still holds.
 */
export async function destroyStack(
  plan: Pick<DeploymentPlan, "app" | "stage" | "mode">,
  options: StackOptions,
  { keepData = false }: { keepData?: boolean } = {},
) {
  const store = await stateStoreFor(plan, options);
  const scope = await openScope(plan, options, store);
  // alchemy() returns the app's scope; the stage's resources live in its stage scope.
  const stageScope = scope.children.get(plan.stage) ?? scope;
  let failure: unknown;
  const kept = keepData
    ? await keepStageData(stageScope).catch((err: unknown) => {
        failure = err;
        return [];
      })
    : [];
  // Never finalize after a failed keep: finalize would delete what was to be kept.
  if (!failure) {
    await scope.finalize().catch((err: unknown) => {
      failure = err;
    });
  }
  const keptIds = new Set(kept.map((k) => k.id));
  const remaining = (await remainingResources(stageScope)).filter((r) => !keptIds.has(r.id));
  return { failure, kept, remaining };
}
