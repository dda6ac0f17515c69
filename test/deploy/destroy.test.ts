/** Teardown in deploy mode: exactly one stage's resources go; a refused delete is reported; production keeps its D1. */
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCliArgs, UsageError } from "../../src/cli/args.ts";
import type { DeploymentPlan } from "../../src/plan/types.ts";
import {
  CloudflareApiStandIn,
  mutating,
  type RecordedRequest,
  routesOf,
} from "../support/cloudflare-api/index.ts";
import { ROOT, runProgram, uniqueStage } from "../support/stack.ts";
import { deploy, deployEnv, destroy, destroyStages, planFor, writeConfig } from "./deploy-support.ts";

const APP = "deploy-destroy";
const stageA = uniqueStage("da");
const stageB = uniqueStage("db");
const prod = uniqueStage("prod");
let api: CloudflareApiStandIn;
let config: string;
let env: NodeJS.ProcessEnv;
const plans: Record<string, DeploymentPlan> = {};
let secretBefore: string | undefined;

beforeAll(async () => {
  api = await CloudflareApiStandIn.start();
  config = await writeConfig("destroy.config.ts", { app: APP, productionStages: [prod] });
  env = deployEnv(api);
  for (const stage of [stageA, stageB, prod]) {
    const run = await deploy(stage, config, env);
    expect(run.code, run.output).toBe(0);
    plans[stage] = await planFor(config, env, stage);
  }
});

afterAll(async () => {
  api?.clearRefusals();
  if (api) {
    await destroyStages([
      { stage: stageA, config, env },
      { stage: stageB, config, env },
      { stage: prod, config, env, args: ["--force"] },
    ]);
  }
  await api?.close();
});

const names = (stage: string) => plans[stage]?.names as DeploymentPlan["names"];
const databaseId = (stage: string) => api.d1.list(names(stage).database)[0]?.uuid as string;
const stateDir = (stage: string) => path.join(ROOT, ".alchemy", APP, stage);
const secretOf = (stage: string) =>
  api.workers.get(names(stage).worker)?.metadata.bindings?.find((b) => b.name === "BETTER_AUTH_SECRET")
    ?.text as string | undefined;

describe("--destroy --stage X", () => {
  it("deletes X's Worker and D1 database and touches nothing of another stage", async () => {
    const idA = databaseId(stageA);
    const idB = databaseId(stageB);
    const mark = api.mark();
    const run = await destroy(stageA, config, env);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`Stage ${stageA} destroyed: no state, no database, no outputs left.`);
    const sent = api.since(mark);
    expect(routesOf(mutating(sent)).sort()).toEqual(
      [
        `DELETE /accounts/${api.options.accountId}/d1/database/${idA}`,
        `DELETE /accounts/${api.options.accountId}/workers/scripts/${names(stageA).worker}`,
      ].sort(),
    );
    // Reads too stay on stage A's names.
    for (const other of [stageB, prod]) {
      expect(
        sent.filter((r) => r.path.includes(names(other).worker) || r.path.includes(databaseId(other))),
      ).toEqual([]);
    }
    expect(api.workers.get(names(stageA).worker)).toBeUndefined();
    expect(api.d1.list(names(stageA).database)).toEqual([]);
    expect(api.workers.get(names(stageB).worker)).toBeDefined();
    expect(api.d1.list(names(stageB).database).map((d) => d.uuid)).toEqual([idB]);
    expect(existsSync(stateDir(stageA))).toBe(false);
    expect(existsSync(path.join(ROOT, ".authform", `${stageA}.json`))).toBe(false);
    expect(existsSync(stateDir(stageB))).toBe(true);
  });

  it("exits non-zero and names what is left when Cloudflare refuses a delete; a re-run finishes the job", async () => {
    api.refuse({
      method: "DELETE",
      path: new RegExp(`/workers/scripts/${names(stageB).worker}$`),
      status: 400,
      code: 10013,
      message: "The Worker could not be deleted right now.",
    });
    const refused = await destroy(stageB, config, env);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`Stage ${stageB} was not fully destroyed.`);
    expect(refused.output).toContain("The Worker could not be deleted right now.");
    expect(refused.output).toContain(`left: Worker ${names(stageB).worker} (state: worker)`);
    expect(refused.output).toContain(`left: D1 database ${names(stageB).database} (state: database)`);
    expect(api.workers.get(names(stageB).worker)).toBeDefined();
    expect(api.d1.list(names(stageB).database)).toHaveLength(1);

    api.clearRefusals();
    const retried = await destroy(stageB, config, env);
    expect(retried.code, retried.output).toBe(0);
    expect(api.workers.get(names(stageB).worker)).toBeUndefined();
    expect(api.d1.list(names(stageB).database)).toEqual([]);
  });
});

describe("a production stage", () => {
  it("--plan says the stage is production", async () => {
    const planned = await runProgram(["--plan", "--stage", prod, "--config", config], env);
    expect(planned.output).toContain("Production    yes: --destroy keeps the D1 database");
  });

  it("keeps its D1 database (and data) and generated secret on --destroy and says so; the Worker goes", async () => {
    const id = databaseId(prod);
    await api.d1.rows(
      names(prod).database,
      "INSERT INTO verification (id, identifier, value, expiresAt, createdAt, updatedAt) VALUES ('keep-me', 'x', 'y', 0, 0, 0)",
    );
    secretBefore = secretOf(prod);
    const mark = api.mark();
    const run = await destroy(prod, config, env);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`Stage ${prod} destroyed, except its data:`);
    expect(run.output).toContain(`kept: D1 database ${names(prod).database} ${id} (state: database)`);
    expect(run.output).toContain("kept: generated secret (state: secret-better_auth_secret)");
    expect(run.output).toContain(`To delete them too: --destroy --stage ${prod} --force`);
    expect(routesOf(mutating(api.since(mark)))).toEqual([
      `DELETE /accounts/${api.options.accountId}/workers/scripts/${names(prod).worker}`,
    ]);
    expect(api.workers.get(names(prod).worker)).toBeUndefined();
    expect(api.d1.list(names(prod).database).map((d) => d.uuid)).toEqual([id]);
    expect(existsSync(path.join(ROOT, ".authform", `${prod}.json`))).toBe(false);
  });

  it("a later deploy carries on with the kept database and secret: same id, data intact, nothing re-applied", async () => {
    const id = databaseId(prod);
    const mark = api.mark();
    const run = await deploy(prod, config, env);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain("Changed: worker created.");
    const sent = api.since(mark);
    expect(
      sent.filter((r) => r.path.includes("/d1/") && !isPreflightProbe(r)),
      "the database is not touched",
    ).toEqual([]);
    expect(api.d1.list(names(prod).database).map((d) => d.uuid)).toEqual([id]);
    expect(await api.d1.rows(names(prod).database, "SELECT id FROM verification")).toEqual([
      { id: "keep-me" },
    ]);
    const uploads = sent.filter((r) => r.upload);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]?.upload?.metadata.bindings).toContainEqual({ type: "d1", name: "DB", id });
    expect(secretOf(prod)).toBe(secretBefore);
  });

  it("--destroy --force deletes the database too", async () => {
    const id = databaseId(prod);
    const mark = api.mark();
    const run = await destroy(prod, config, env, ["--force"]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`Stage ${prod} destroyed: no state, no database, no outputs left.`);
    expect(routesOf(mutating(api.since(mark)))).toContain(
      `DELETE /accounts/${api.options.accountId}/d1/database/${id}`,
    );
    expect(api.d1.list(names(prod).database)).toEqual([]);
    expect(existsSync(stateDir(prod))).toBe(false);
  });
});

describe("--force", () => {
  it("goes with --destroy only", () => {
    expect(parseCliArgs(["--destroy", "--force", "--stage", "prod"])).toMatchObject({
      destroy: true,
      force: true,
    });
    expect(parseCliArgs(["--destroy"])).toMatchObject({ force: false });
    expect(() => parseCliArgs(["--force"])).toThrow(UsageError);
    expect(() => parseCliArgs(["--force"])).toThrow("--force only goes with --destroy");
  });
});

/** The preflight's D1 read (`GET …/d1/database?per_page=1`): a deploy that adds a step reads first. */
function isPreflightProbe(r: RecordedRequest): boolean {
  return r.method === "GET" && r.path.endsWith("/d1/database") && r.query.per_page === "1" && !r.query.name;
}
