/** Deploys killed right after Cloudflare acted but before they heard back: the next run converges, no duplicates. */
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeploymentPlan } from "../../src/plan/types.ts";
import { CloudflareApiStandIn } from "../support/cloudflare-api/index.ts";
import { ROOT, uniqueStage } from "../support/stack.ts";
import { deploy, deployEnv, destroyStages, killableRun, planFor, writeConfig } from "./deploy-support.ts";

const MIGRATIONS = readdirSync(path.join(ROOT, "migrations"))
  .filter((f) => f.endsWith(".sql"))
  .sort();

const APP = "deploy-interrupted";
let api: CloudflareApiStandIn;
let config: string;
let env: NodeJS.ProcessEnv;
const stages: string[] = [];

beforeAll(async () => {
  api = await CloudflareApiStandIn.start();
  config = await writeConfig("interrupted.config.ts", { app: APP });
  env = deployEnv(api);
});

afterAll(async () => {
  if (api) await destroyStages(stages.map((stage) => ({ stage, config, env })));
  await api?.close();
});

async function newStage(): Promise<{ stage: string; plan: DeploymentPlan }> {
  const stage = uniqueStage("int");
  stages.push(stage);
  return { stage, plan: await planFor(config, env, stage) };
}

/** Starts a first deploy and kills it once the stand-in has done the matching request. */
async function killAfter(stage: string, method: string, path: RegExp, body?: (b: unknown) => boolean) {
  const run = killableRun(["--stage", stage, "--config", config], env);
  let killed = false;
  api.afterHandling({
    method,
    path,
    body,
    run: async () => {
      killed = true;
      await run.kill();
    },
  });
  await run.done;
  expect(killed, "the kill point was reached").toBe(true);
}

/** The stage converged: one database with every migration once, one Worker bound to it, serving. */
async function expectConverged(stage: string, plan: DeploymentPlan) {
  const rerun = await deploy(stage, config, env);
  expect(rerun.code, rerun.output).toBe(0);
  const databases = api.d1.list(plan.names.database);
  expect(databases).toHaveLength(1);
  // Every migration in migrations/, each recorded exactly once.
  expect(await api.d1.rows(plan.names.database, "SELECT name FROM d1_migrations ORDER BY name")).toEqual(
    MIGRATIONS.map((name) => ({ name })),
  );
  const worker = api.workers.get(plan.names.worker);
  expect(worker?.metadata.bindings).toContainEqual({ type: "d1", name: "DB", id: databases[0]?.uuid });
  expect(worker?.subdomain.enabled).toBe(true);
  const again = await deploy(stage, config, env);
  expect(again.output).toContain("Unchanged:");
}

describe("a first deploy killed", () => {
  it("after Cloudflare created the database converges by taking that database over", async () => {
    const { stage, plan } = await newStage();
    await killAfter(stage, "POST", /\/d1\/database$/);
    expect(api.d1.list(plan.names.database)).toHaveLength(1);
    await expectConverged(stage, plan);
  });

  it("after a migration ran (and was recorded) does not apply it twice", async () => {
    const { stage, plan } = await newStage();
    await killAfter(stage, "POST", /\/query$/, (b) =>
      String((b as { sql?: string })?.sql).includes("CREATE TABLE `user`"),
    );
    // The migration and its d1_migrations row went in one request: both are there.
    expect(await api.d1.rows(plan.names.database, "SELECT name FROM d1_migrations")).toHaveLength(1);
    await expectConverged(stage, plan);
  });

  it("after Cloudflare stored the Worker converges by taking that Worker over", async () => {
    const { stage, plan } = await newStage();
    await killAfter(stage, "PUT", /\/workers\/scripts\/[^/]+$/);
    expect(api.workers.get(plan.names.worker)).toBeDefined();
    await expectConverged(stage, plan);
  });
});

describe("a name clash", () => {
  it("with a Worker this stage never created fails loudly and overwrites nothing", async () => {
    const { stage, plan } = await newStage();
    const form = new FormData();
    form.append(
      "worker.js",
      new Blob(["export default {}"], { type: "application/javascript+module" }),
      "worker.js",
    );
    form.append(
      "metadata",
      new Blob([JSON.stringify({ main_module: "worker.js", compatibility_date: "2025-01-01" })], {
        type: "application/json",
      }),
    );
    await fetch(`${api.baseUrl}/accounts/${api.options.accountId}/workers/scripts/${plan.names.worker}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${api.options.token}` },
      body: form,
    });
    const etag = api.workers.get(plan.names.worker)?.etag;
    const run = await deploy(stage, config, env);
    expect(run.code).toBe(1);
    expect(run.output).toContain(
      `The name ${plan.names.worker} is already used on the account by a Worker this stage did not create`,
    );
    expect(api.workers.get(plan.names.worker)?.etag).toBe(etag);
  });
});
