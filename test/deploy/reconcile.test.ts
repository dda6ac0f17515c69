/** Reconciliation: each config or env change is applied on the next run, and only that change. */
import { access } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PluginName } from "../../src/config/plugins.ts";
import { pluginModulePath } from "../../src/generate/worker-entry.ts";
import {
  CloudflareApiStandIn,
  mutating,
  type RecordedRequest,
  routesOf,
  type WorkerBinding,
} from "../support/cloudflare-api/index.ts";
import { SesApiStandIn } from "../support/ses-api.ts";
import { ROOT, uniqueStage } from "../support/stack.ts";
import {
  type ConfigShape,
  deploy,
  deployEnv,
  destroy,
  planBindings,
  planFor,
  secretValues,
  withoutSecretValues,
  writeConfig,
} from "./deploy-support.ts";

const APP = "deploy-reconcile";
const stage = uniqueStage("recon");
const base: ConfigShape = { app: APP, vars: { APP_NAME: "Reconcile" } };
// A deploy through SES verifies its sending identity: point it at a loopback SES, never AWS.
const ses = await SesApiStandIn.start({ signatures: "ignore" });
const SES_ENV = {
  ...ses.env(),
  AWS_ACCESS_KEY_ID: "AKIDRECONCILETEST",
  AWS_SECRET_ACCESS_KEY: `rotated-${stage}`,
  AWS_SES_REGION: "eu-west-1",
  EMAIL_FROM: "auth@example.com",
};
let api: CloudflareApiStandIn;
let config: string;
let env: NodeJS.ProcessEnv;
let worker: string;
let version = 0;

beforeAll(async () => {
  api = await CloudflareApiStandIn.start();
  config = await writeConfig(`reconcile-${version}.config.ts`, base);
  env = deployEnv(api);
  const first = await deploy(stage, config, env);
  expect(first.code, first.output).toBe(0);
  worker = (await planFor(config, env, stage)).names.worker;
});

afterAll(async () => {
  if (api) await destroy(stage, config, env);
  await api?.close();
  await ses.close();
});

const scriptPath = () => `/accounts/${api.options.accountId}/workers/scripts/${worker}`;

/** Applies a config (and env) and returns what the run sent; fails the test if the run fails. */
async function apply(shape: ConfigShape, extraEnv: Record<string, string> = {}) {
  // A new file per version: the test reads the plan from it, and imports are cached by path.
  config = await writeConfig(`reconcile-${++version}.config.ts`, shape);
  env = deployEnv(api, extraEnv);
  const before = api.workers.get(worker);
  const mark = api.mark();
  const run = await deploy(stage, config, env);
  expect(run.code, run.output).toBe(0);
  const sent = api.since(mark);
  return { run, sent, before, after: api.workers.get(worker) };
}

/**
 * The only writes a Worker-only change makes: the script upload, the workers.dev switch and the
 * Cron Triggers (Alchemy's Worker sets them again with every upload; the list is unchanged).
 */
function expectWorkerUpdateOnly(sent: RecordedRequest[], output: string) {
  // Through SES, the sending identity (on the loopback SES, not Cloudflare) is part of the change too.
  expect(output).toMatch(/Changed: (ses-identity-[\w.-]+ (created|updated), )?worker updated\./);
  expect(sent.filter((r) => !r.handled)).toEqual([]);
  expect(
    sent.filter((r) => r.path.includes("/d1/") && !isPreflightProbe(r)),
    "no D1 call",
  ).toEqual([]);
  expect(routesOf(mutating(sent)).sort()).toEqual([
    `POST ${scriptPath()}/subdomain`,
    `PUT ${scriptPath()}`,
    `PUT ${scriptPath()}/schedules`,
  ]);
}

function bindingsOf(bindings: WorkerBinding[] | undefined) {
  return withoutSecretValues(bindings ?? []);
}

/** Added and removed bindings between two uploads. */
function diff(before: WorkerBinding[] | undefined, after: WorkerBinding[] | undefined) {
  const key = (b: WorkerBinding) => JSON.stringify(b);
  const a = new Set(bindingsOf(before).map(key));
  const b = new Set(bindingsOf(after).map(key));
  return {
    added: [...b].filter((x) => !a.has(x)).map((x) => JSON.parse(x)),
    removed: [...a].filter((x) => !b.has(x)).map((x) => JSON.parse(x)),
  };
}

const mainModule = (script: ReturnType<typeof api.workers.get>) =>
  script?.modules.find((m) => m.name === script.metadata.main_module);

/** Plugins that need no other plugin and no extra env to deploy; the first whose runtime exists is used. */
const STANDALONE: PluginName[] = ["anonymous", "jwt", "emailOtp", "magicLink", "apiKey"];

async function availablePlugin(): Promise<PluginName> {
  for (const name of STANDALONE) {
    const ok = await access(path.join(ROOT, "worker", pluginModulePath(name))).then(
      () => true,
      () => false,
    );
    if (ok) return name;
  }
  throw new Error(`worker/auth/plugins/ holds no runtime module for any of ${STANDALONE.join(", ")}`);
}

describe("a config change", () => {
  it("adding a var uploads the Worker with that var added and nothing else changed", async () => {
    const { run, sent, before, after } = await apply({
      ...base,
      vars: { ...base.vars, EMAIL_FROM_NAME: "Support" },
    });
    expectWorkerUpdateOnly(sent, run.output);
    expect(diff(before?.metadata.bindings, after?.metadata.bindings)).toEqual({
      added: [{ type: "plain_text", name: "EMAIL_FROM_NAME", text: "Support" }],
      removed: [],
    });
    // Same config, same bundle: the script bytes did not change, only its settings.
    expect(mainModule(after)?.content).toEqual(mainModule(before)?.content);
    expect(secretValues(after?.metadata.bindings ?? [])).toEqual(
      secretValues(before?.metadata.bindings ?? []),
    );
  });

  it("removing the var takes it off the Worker (no drift)", async () => {
    const { run, sent, before, after } = await apply(base);
    expectWorkerUpdateOnly(sent, run.output);
    expect(diff(before?.metadata.bindings, after?.metadata.bindings)).toEqual({
      added: [],
      removed: [{ type: "plain_text", name: "EMAIL_FROM_NAME", text: "Support" }],
    });
  });

  it("switching email to SES swaps the send_email binding for SES vars and secrets", async () => {
    const ses = { ...SES_ENV, AWS_SECRET_ACCESS_KEY: `ses-secret-${stage}` };
    const { run, sent, before, after } = await apply({ ...base, email: "aws-ses" }, ses);
    expectWorkerUpdateOnly(sent, run.output);
    expect(diff(before?.metadata.bindings, after?.metadata.bindings)).toEqual({
      added: expect.arrayContaining([
        { type: "plain_text", name: "AWS_SES_REGION", text: "eu-west-1" },
        { type: "plain_text", name: "EMAIL_FROM", text: "auth@example.com" },
        { type: "secret_text", name: "AWS_ACCESS_KEY_ID" },
        { type: "secret_text", name: "AWS_SECRET_ACCESS_KEY" },
      ]),
      removed: [{ type: "send_email", name: "EMAIL" }],
    });
    expect(secretValues(after?.metadata.bindings ?? [])).toMatchObject({
      AWS_ACCESS_KEY_ID: ses.AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: ses.AWS_SECRET_ACCESS_KEY,
    });
    const plan = await planFor(config, env, stage);
    const [database] = api.d1.list(plan.names.database);
    expect(bindingsOf(after?.metadata.bindings)).toEqual(planBindings(plan, database?.uuid as string));
  });
});

describe("an env change", () => {
  it("a rotated secret re-uploads with the new value and nothing else changed", async () => {
    const current = secretValues(api.workers.get(worker)?.metadata.bindings ?? []);
    const ses = { ...SES_ENV, AWS_SECRET_ACCESS_KEY: `rotated-${stage}` };
    const { run, sent, before, after } = await apply({ ...base, email: "aws-ses" }, ses);
    expectWorkerUpdateOnly(sent, run.output);
    expect(diff(before?.metadata.bindings, after?.metadata.bindings)).toEqual({ added: [], removed: [] });
    expect(secretValues(after?.metadata.bindings ?? [])).toEqual({
      ...current,
      AWS_SECRET_ACCESS_KEY: ses.AWS_SECRET_ACCESS_KEY,
    });
    expect(mainModule(after)?.content).toEqual(mainModule(before)?.content);

    const mark = api.mark();
    const again = await deploy(stage, config, env);
    expect(again.code, again.output).toBe(0);
    expect(api.since(mark)).toEqual([]);
  });
});

describe("a change to the auth shape", () => {
  it("an auth option uploads a new bundle with the same bindings, and leaves the database alone", async () => {
    const { run, sent, before, after } = await apply(
      { ...base, email: "aws-ses", emailAndPassword: { enabled: true, minPasswordLength: 12 } },
      SES_ENV,
    );
    expectWorkerUpdateOnly(sent, run.output);
    expect(diff(before?.metadata.bindings, after?.metadata.bindings)).toEqual({ added: [], removed: [] });
    // The generated entry embeds the auth shape, so the script itself changed.
    expect(mainModule(after)?.content).not.toEqual(mainModule(before)?.content);
  });

  it("a plugin switched on uploads a new bundle with the same bindings, and leaves the database alone", async () => {
    const plugin = await availablePlugin();
    const { run, sent, before, after } = await apply(
      { ...base, email: "aws-ses", plugins: [plugin] },
      SES_ENV,
    );
    expectWorkerUpdateOnly(sent, run.output);
    expect(diff(before?.metadata.bindings, after?.metadata.bindings)).toEqual({ added: [], removed: [] });
    expect(mainModule(after)?.content).not.toEqual(mainModule(before)?.content);
    expect(run.output).toContain(`Plugins   emailAndPassword, ${plugin}`);
  });
});

/** The preflight's D1 read (`GET …/d1/database?per_page=1`): a deploy that adds a step reads first. */
function isPreflightProbe(r: RecordedRequest): boolean {
  return r.method === "GET" && r.path.endsWith("/d1/database") && r.query.per_page === "1" && !r.query.name;
}
