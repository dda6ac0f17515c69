/** Runs the plan through Alchemy: the only code that creates, updates or deletes resources. */
import alchemy, { type StateStoreType } from "alchemy";
import type { DeploymentPlan } from "../plan/types.ts";
import { withoutWorkerScripts } from "./bundle-cache.ts";
import { provisionCustomDomains } from "./custom-domains.ts";
import { keepStageData, provisionDatabase, skipMigrationsOnLocalDelete } from "./database.ts";
import { provisionKv } from "./kv.ts";
import { claimAlchemyKvNamespaces } from "./kv-namespace.ts";
import { localInFlightLimit, shieldLocalWorkerd } from "./local-admission.ts";
import { provisionSecrets } from "./secrets.ts";
import { provisionSesDns } from "./ses-dns.ts";
import { forgetDeniedSesIdentities, provisionSesIdentity, reportSesIdentity } from "./ses-setup.ts";
import {
  adoptIfRecovering,
  chooseStateStoreKind,
  createStateStore,
  recordingStateStore,
  remainingResources,
  type StateChange,
} from "./state-store.ts";
import { provisionWebhookQueues } from "./webhook-queues.ts";
import { prepareWorkerSource, provisionWorker } from "./worker.ts";
import { provisionWorkerRoutes } from "./worker-routes.ts";

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
    // A reused local bundle is passed as the Worker's script; its megabytes stay out of state.
    stateStore: recordingStateStore(withoutWorkerScripts(store), changes),
  });
}

function stateStoreFor(plan: Pick<DeploymentPlan, "mode">, options: StackOptions) {
  return createStateStore(chooseStateStoreKind(options.env, plan.mode), options.env);
}

export async function deployStack(plan: DeploymentPlan, paths: StackPaths, options: StackOptions) {
  const startedAt = new Date();
  const changes: StateChange[] = [];
  // Started first: hashing the bundle's inputs overlaps Alchemy's state reads (and their scrypt).
  const source = prepareWorkerSource(plan, paths.entrypoint);
  source.catch(() => undefined); // awaited by provisionWorker; a failure before that is not unhandled
  const store = await stateStoreFor(plan, options);
  // Opened here, not inside an awaited helper: Alchemy keeps the current scope in async context.
  const scope = await openScope(plan, options, store, changes);
  // alchemy() returns the app's scope; the stage's resources live in its stage scope.
  const stageScope = scope.children.get(plan.stage) ?? scope;
  await adoptIfRecovering(stageScope);
  await claimAlchemyKvNamespaces(stageScope);
  await forgetDeniedSesIdentities(stageScope);
  const database = await provisionDatabase(plan, paths.migrationsDir);
  const secrets = await provisionSecrets(plan, options.env);
  // Deploys through SES only: create/read the sending identity before the Worker that uses it.
  const sesIdentity = await provisionSesIdentity(plan, secrets);
  // Its DKIM CNAMEs go into the configured zone when that zone holds the sending domain.
  const sesDns = sesIdentity && (await provisionSesDns(plan, sesIdentity));
  const kv = await provisionKv(plan);
  const webhookQueues = await provisionWebhookQueues(plan);
  const worker = await provisionWorker(plan, {
    entrypoint: paths.entrypoint,
    database,
    secrets,
    kv,
    source,
    webhookQueues,
  });
  if (plan.mode === "local") shieldLocalWorkerd(localInFlightLimit(options.env));
  // After the Worker: a hostname can only be bound to a script that exists.
  const domains = await provisionCustomDomains(plan, worker.name);
  const routes = await provisionWorkerRoutes(plan, worker.name);
  await scope.finalize();
  if (sesIdentity)
    console.log((await reportSesIdentity(sesIdentity, secrets, startedAt, sesDns?.zone)).join("\n"));
  // With custom domains or routes the stage's URL is its API hostname, not its workers.dev address.
  const url = domains.length > 0 || routes.length > 0 ? plan.urls.api : worker.url;
  return { url, databaseId: database.dev?.id ?? database.id, changes, sesIdentity };
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
  await claimAlchemyKvNamespaces(stageScope);
  if (plan.mode === "local" && !keepData) await skipMigrationsOnLocalDelete(stageScope);
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
