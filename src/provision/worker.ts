/** The stage's Worker: the generated entry, bundled, with exactly the plan's bindings, vars and secrets. */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Secret } from "alchemy";
import { type D1Database, EmailSender, type KVNamespace, type Queue, Worker } from "alchemy/cloudflare";
import { AUDIT_PRUNE_CRON } from "../contract/audit.ts";
import { STORAGE_BACKENDS } from "../contract/storage.ts";
import { WEBHOOK_BINDINGS } from "../contract/webhooks.ts";
import { ACCOUNT_DIR, WORKER_DIR } from "../package-root.ts";
import type { DeploymentPlan } from "../plan/types.ts";
import { type WorkerSource, workerSource } from "./bundle-cache.ts";
import { UploadOnChangeWorker } from "./upload-on-change-worker.ts";
import { type WebhookQueues, webhookEventSources } from "./webhook-queues.ts";

export interface WorkerInputs {
  entrypoint: string;
  database: D1Database;
  secrets: Record<string, Secret>;
  /** defineStorage: bound under its catalogue entry's binding name (AUTH_KV). */
  kv?: KVNamespace;
  /** The script's source, when `prepareWorkerSource` was started earlier (it reads every input file). */
  source?: Promise<WorkerSource>;
  /** Webhooks: the delivery and dead-letter queues, bound as producers and consumed by the Worker. */
  webhookQueues?: WebhookQueues;
}

/**
 * Where the Worker's script comes from (a reused local bundle, or the entry for Alchemy to bundle).
 * Independent of Alchemy: the stack starts it first, so its file reads overlap Alchemy's state reads.
 */
export async function prepareWorkerSource(
  plan: Pick<DeploymentPlan, "mode" | "compatibilityDate" | "compatibilityFlags">,
  entrypoint: string,
): Promise<WorkerSource> {
  const build = await buildFingerprint(entrypoint, process.cwd());
  // The banner puts the fingerprint of the bundle's inputs into the props: a change to authform's
  // runtime or a dependency is a change Alchemy sees. A local re-run reuses an unchanged bundle.
  return workerSource(plan, entrypoint, build, process.cwd());
}

/** Lockfiles pin every package the bundle pulls in (and the bundler, through alchemy's version). */
const LOCKFILES = ["package-lock.json", "bun.lock", "bun.lockb", "pnpm-lock.yaml", "yarn.lock"];

export async function provisionWorker(
  plan: DeploymentPlan,
  { entrypoint, database, secrets, kv, source: early, webhookQueues }: WorkerInputs,
) {
  const bindings: Record<
    string,
    string | Secret | D1Database | KVNamespace | Queue | ReturnType<typeof EmailSender>
  > = {
    ...plan.vars,
    ...secrets,
    DB: database,
  };
  if (plan.bindings.EMAIL === "send_email") bindings.EMAIL = EmailSender();
  if (kv && plan.manifest.storage) bindings[STORAGE_BACKENDS[plan.manifest.storage].binding.name] = kv;
  if (webhookQueues) {
    bindings[WEBHOOK_BINDINGS.queue] = webhookQueues.queue;
    bindings[WEBHOOK_BINDINGS.deadLetters] = webhookQueues.deadLetters;
  }
  const source = await (early ?? prepareWorkerSource(plan, entrypoint));
  const props = {
    name: plan.names.worker,
    ...source.props,
    compatibilityDate: plan.compatibilityDate,
    compatibilityFlags: plan.compatibilityFlags,
    bindings,
    // The daily prune of old audit events (worker/audit/prune.ts), run by the entry's scheduled handler.
    crons: [AUDIT_PRUNE_CRON],
    ...(webhookQueues ? { eventSources: webhookEventSources(webhookQueues) } : {}),
    url: true,
    ...(plan.port === undefined ? {} : { dev: { port: plan.port } }),
  };
  // Deploys upload only a changed Worker; locally Alchemy's Worker updates (starts workerd) every run.
  const worker =
    plan.mode === "deploy" ? await UploadOnChangeWorker("worker", props) : await Worker("worker", props);
  await source.built();
  return worker;
}

/**
 * A hash of every input of the Worker bundle: the generated entry, authform's worker/ sources and
 * the project's lockfiles. Over-approximates (a change to an unused file re-uploads), never misses.
 */
export async function buildFingerprint(entrypoint: string, projectDir: string): Promise<string> {
  const hash = createHash("sha256");
  const add = (label: string, content: Buffer) => {
    hash.update(`${label}\0${content.length}\0`).update(content);
  };
  add("entry", await readFile(entrypoint));
  for (const file of await listFiles(WORKER_DIR))
    add(`worker/${file}`, await readFile(path.join(WORKER_DIR, file)));
  // The Account SPA the entry embeds is built from account/ (its bundler and packages are in the lockfile).
  for (const file of await listFiles(ACCOUNT_DIR))
    add(`account/${file}`, await readFile(path.join(ACCOUNT_DIR, file)));
  for (const lockfile of LOCKFILES) {
    const content = await readFile(path.join(projectDir, lockfile)).catch(() => undefined);
    if (content) add(lockfile, content);
  }
  return hash.digest("hex").slice(0, 16);
}

/** Every file under `dir`, as sorted forward-slash paths relative to it. */
async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join("/"))
    .sort();
}
