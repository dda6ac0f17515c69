/** A first deploy and an unchanged re-run, against the loopback Cloudflare API stand-in. */
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_PRUNE_CRON } from "../../src/contract/audit.ts";
import type { DeploymentPlan } from "../../src/plan/types.ts";
import {
  CloudflareApiStandIn,
  mutating,
  type RecordedRequest,
  routesOf,
} from "../support/cloudflare-api/index.ts";
import { ROOT, type RunResult, runProgram, uniqueStage } from "../support/stack.ts";
import {
  deploy,
  deployEnv,
  destroy,
  filesUnder,
  planBindings,
  planFor,
  secretValues,
  withoutSecretValues,
  writeConfig,
} from "./deploy-support.ts";

const APP = "deploy-first";
const stage = uniqueStage("first");
const PREVIOUS_SECRET = `previous-${stage}-0f9e8d7c6b5a`;
let api: CloudflareApiStandIn;
let config: string;
let env: NodeJS.ProcessEnv;
let plan: DeploymentPlan;
let first: RunResult;
let requests: RecordedRequest[];

beforeAll(async () => {
  api = await CloudflareApiStandIn.start();
  config = await writeConfig("first.config.ts", { app: APP, vars: { APP_NAME: "First Deploy" } });
  env = deployEnv(api, { AUTHFORM_JWT_PREVIOUS_SECRET: PREVIOUS_SECRET });
  plan = await planFor(config, env, stage);
  first = await deploy(stage, config, env);
  requests = api.since(0);
});

afterAll(async () => {
  if (api) await destroy(stage, config, env);
  await api?.close();
});

/** `METHOD /template` for a request, ids and names replaced, so a new kind of call stands out. */
function routeShape(r: RecordedRequest): string {
  return `${r.method} ${r.path
    .replace(/\/accounts\/[^/]+/, "/accounts/:account")
    .replace(/\/d1\/database\/[^/]+/, "/d1/database/:id")
    .replace(/\/workers\/scripts\/[^/]+/, "/workers/scripts/:name")
    .replace(/\/tokens\/(?!verify$)[^/]+$/, "/tokens/:id")}`;
}

function upload() {
  const uploads = requests.filter((r) => r.upload);
  expect(uploads).toHaveLength(1);
  return uploads[0] as RecordedRequest & { upload: NonNullable<RecordedRequest["upload"]> };
}

describe("a first deploy", () => {
  it("succeeds and makes only the calls the stand-in knows", () => {
    expect(first.code, first.output).toBe(0);
    expect(
      requests.filter((r) => !r.handled),
      "calls the stand-in does not implement",
    ).toEqual([]);
    expect(new Set(requests.map(routeShape))).toEqual(
      new Set([
        // The preflight of a stage with nothing deployed yet: reads only (src/cli/preflight-step.ts).
        "GET /user/tokens/verify",
        // The token's own permission groups: refused to a token without API Tokens Read (the default).
        "GET /user/tokens/:id",
        "GET /accounts/:account",
        "GET /accounts/:account/workers/scripts",
        "GET /accounts/:account/d1/database",
        "POST /accounts/:account/d1/database",
        "POST /accounts/:account/d1/database/:id/query",
        // A new stage's Worker name must be free: a clash is an error, never a takeover.
        "GET /accounts/:account/workers/scripts/:name",
        "GET /accounts/:account/workers/scripts/:name/settings",
        "POST /accounts/:account/workers/scripts/:name/subdomain",
        "PUT /accounts/:account/workers/scripts/:name",
        // The audit log's daily prune (src/contract/audit.ts).
        "PUT /accounts/:account/workers/scripts/:name/schedules",
        "GET /accounts/:account/workers/subdomain",
      ]),
    );
  });

  it("says what it created", () => {
    expect(first.output).toContain(
      "Changed: database created, secret-better_auth_secret created, worker created.",
    );
  });

  it("creates the stage's D1 database once, by the plan's name", () => {
    const creates = requests.filter((r) => r.method === "POST" && r.path.endsWith("/d1/database"));
    expect(creates.map((r) => r.body)).toEqual([{ name: plan.names.database }]);
    expect(api.d1.list(plan.names.database)).toHaveLength(1);
  });

  it("applies every migration for real and records each in d1_migrations", async () => {
    const files = (await readdir(path.join(ROOT, "migrations"))).filter((f) => f.endsWith(".sql")).sort();
    const applied = await api.d1.rows<{ name: string }>(
      plan.names.database,
      "SELECT name FROM d1_migrations ORDER BY id",
    );
    expect(applied.map((r) => r.name)).toEqual(files);
    const tables = await api.d1.rows<{ name: string }>(
      plan.names.database,
      "SELECT name FROM sqlite_master WHERE type = 'table'",
    );
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(["user", "session", "account", "verification"]),
    );
  });

  it("uploads the Worker with exactly the plan's bindings, vars and secrets", () => {
    const { path: uploadPath, upload: sent } = upload();
    expect(uploadPath).toBe(`/accounts/${api.options.accountId}/workers/scripts/${plan.names.worker}`);
    const [database] = api.d1.list(plan.names.database);
    expect(withoutSecretValues(sent.metadata.bindings ?? [])).toEqual(
      planBindings(plan, database?.uuid as string),
    );
    const secrets = secretValues(sent.metadata.bindings ?? []);
    expect(secrets.AUTHFORM_JWT_PREVIOUS_SECRET).toBe(PREVIOUS_SECRET);
    // Generated once for the stage: 32 random bytes, hex.
    expect(secrets.BETTER_AUTH_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(sent.metadata.compatibility_date).toBe(plan.compatibilityDate);
    expect(sent.metadata.compatibility_flags).toEqual(plan.compatibilityFlags);
  });

  it("uploads one ES module bundle that names its build on its first line", () => {
    const { upload: sent } = upload();
    expect(sent.metadata.main_module).toBe("worker.js");
    const script = api.workers.get(plan.names.worker);
    const main = script?.modules.find((m) => m.name === "worker.js");
    expect(main?.contentType).toBe("application/javascript+module");
    expect(new TextDecoder().decode(main?.content).split("\n")[0]).toMatch(
      /^\/\/ authform build [0-9a-f]{16}$/,
    );
  });

  it("gives the Worker the audit log's daily Cron Trigger", () => {
    expect(api.workers.get(plan.names.worker)?.schedules.map((s) => s.cron)).toEqual([AUDIT_PRUNE_CRON]);
  });

  it("turns the workers.dev URL on and reports it in the summary and the outputs file", async () => {
    const url = `https://${plan.names.worker}.${api.options.subdomain}.workers.dev`;
    expect(api.workers.get(plan.names.worker)?.subdomain.enabled).toBe(true);
    expect(first.output).toContain(`URL       ${url}`);
    const outputs = JSON.parse(await readFile(path.join(ROOT, ".authform", `${stage}.json`), "utf8"));
    expect(outputs).toMatchObject({
      stage,
      mode: "deploy",
      url,
      worker: plan.names.worker,
      database: plan.names.database,
    });
  });

  it("never shows a secret's value: not in its output, --plan, the outputs file, the generated entry or state", async () => {
    const values = Object.values(secretValues(upload().upload.metadata.bindings ?? []));
    expect(values).toHaveLength(2);
    const planned = await runProgram(["--plan", "--stage", stage, "--config", config], env);
    expect(planned.code, planned.output).toBe(0);
    const state = await filesUnder(path.join(ROOT, ".alchemy", APP, stage));
    expect(state.length).toBeGreaterThan(0);
    // The state does hold the secrets — encrypted.
    expect(state.some((f) => f.text.includes('"@secret"'))).toBe(true);
    const places = [
      { file: "program output", text: first.output },
      { file: "--plan output", text: planned.output },
      { file: "outputs", text: await readFile(path.join(ROOT, ".authform", `${stage}.json`), "utf8") },
      ...(await filesUnder(path.join(ROOT, ".authform", "generated", stage))),
      ...state,
    ];
    for (const value of values) {
      expect(places.filter((p) => p.text.includes(value)).map((p) => p.file)).toEqual([]);
    }
  });
});

describe("an unchanged re-run", () => {
  it("sends nothing to Cloudflare, not even a read, and says so", async () => {
    const mark = api.mark();
    const again = await deploy(stage, config, env);
    expect(again.code, again.output).toBe(0);
    expect(routesOf(api.since(mark))).toEqual([]);
    expect(mutating(api.since(mark))).toEqual([]);
    expect(again.output).toMatch(/worker.*Skipped Resource \(no changes\)/);
    expect(again.output).toContain(
      "Unchanged: the stage already matches the config; nothing was sent to Cloudflare.",
    );
    expect(again.output).toContain(
      `URL       https://${plan.names.worker}.${api.options.subdomain}.workers.dev`,
    );
  });
  it("also for a stage deployed before authform's Worker resource (Alchemy's kind in state)", async () => {
    // An earlier authform recorded the Worker under Alchemy's kind (src/provision/upload-on-change-worker.ts).
    const stateFile = path.join(ROOT, ".alchemy", APP, stage, "worker.json");
    const state = await readFile(stateFile, "utf8");
    expect(state).toContain('"authform::Worker"');
    await writeFile(stateFile, state.replaceAll('"authform::Worker"', '"cloudflare::Worker"'));
    const mark = api.mark();
    const again = await deploy(stage, config, env);
    expect(again.code, again.output).toBe(0);
    expect(routesOf(api.since(mark))).toEqual([]);
    expect(again.output).toContain(
      "Unchanged: the stage already matches the config; nothing was sent to Cloudflare.",
    );
  });
});
