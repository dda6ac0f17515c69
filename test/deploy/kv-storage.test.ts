/** defineStorage in deploy mode: the stage's KV namespace, its AUTH_KV binding and D1 read replication, on, unchanged, off, on again, destroyed. */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeploymentPlan } from "../../src/plan/types.ts";
import {
  CloudflareApiStandIn,
  mutating,
  type RecordedRequest,
  routesOf,
  type WorkerBinding,
} from "../support/cloudflare-api/index.ts";
import { ROOT, uniqueStage } from "../support/stack.ts";
import { deploy, deployEnv, destroy, destroyStages, planFor } from "./deploy-support.ts";

const APP = "deploy-kv-storage";
const stage = uniqueStage("kv");
const other = uniqueStage("kvother");
let api: CloudflareApiStandIn;
let env: NodeJS.ProcessEnv;
let plan: DeploymentPlan;
let otherPlan: DeploymentPlan;
/** What the first deploy of `stage` sent. */
let first: RecordedRequest[];
let version = 0;
let config: string;

/** Writes the app's config, with or without defineStorage, to a new file (imports are cached by path). */
async function writeKvConfig(storage: boolean): Promise<string> {
  const dir = path.join(ROOT, ".authform", "deploy-tests");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `kv-storage-${++version}.config.ts`);
  const src = path
    .relative(dir, path.join(ROOT, "src", "index.ts"))
    .split(path.sep)
    .join("/");
  await writeFile(
    file,
    `import { defineAuth, defineConfig, defineDatabase, defineRuntime, defineStorage } from "./${src}";
export default defineConfig({
  name: ${JSON.stringify(APP)},
  providers: {
    runtime: defineRuntime("cloudflare"),
    database: defineDatabase("cloudflare-d1"),
    auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }),
${storage ? `    storage: defineStorage("cloudflare-kv"),\n` : ""}  },
});
`,
  );
  return path.relative(ROOT, file);
}

beforeAll(async () => {
  api = await CloudflareApiStandIn.start();
  env = deployEnv(api);
  config = await writeKvConfig(true);
  const mark = api.mark();
  const run = await deploy(stage, config, env);
  expect(run.code, run.output).toBe(0);
  first = api.since(mark);
  plan = await planFor(config, env, stage);
  const second = await deploy(other, config, env);
  expect(second.code, second.output).toBe(0);
  otherPlan = await planFor(config, env, other);
});

afterAll(async () => {
  if (api) {
    await destroyStages([
      { stage, config, env },
      { stage: other, config, env },
    ]);
  }
  await api?.close();
});

const acct = () => `/accounts/${api.options.accountId}`;
const namespaceOf = (p: DeploymentPlan) => api.kv.byTitle(p.names.kv as string);
const databaseOf = (p: DeploymentPlan) => api.d1.list(p.names.database)[0];
const kvBindings = (p: DeploymentPlan): WorkerBinding[] =>
  (api.workers.get(p.names.worker)?.metadata.bindings ?? []).filter((b) => b.type === "kv_namespace");
const replicationCalls = (sent: RecordedRequest[]) =>
  sent.filter((r) => r.method === "PATCH" && r.path.includes("/d1/database/")).map((r) => r.body);

/** Applies the config with storage on or off; fails the test if the run fails. */
async function apply(storage: boolean) {
  config = await writeKvConfig(storage);
  const mark = api.mark();
  const run = await deploy(stage, config, env);
  expect(run.code, run.output).toBe(0);
  return { run, sent: api.since(mark) };
}

describe("a deploy with defineStorage", () => {
  it("creates the stage's namespace by the plan's name, with calls the stand-in knows", () => {
    expect(plan.names.kv).toBe(`${APP}-${stage}-kv`);
    expect(first.filter((r) => !r.handled)).toEqual([]);
    const creates = first.filter((r) => r.method === "POST" && r.path === `${acct()}/storage/kv/namespaces`);
    expect(creates.map((r) => r.body)).toEqual([{ title: plan.names.kv }]);
    expect(namespaceOf(plan)).toBeDefined();
  });

  it("uploads the Worker with AUTH_KV bound to that namespace's id", () => {
    const id = namespaceOf(plan)?.id;
    expect(kvBindings(plan)).toEqual([{ type: "kv_namespace", name: "AUTH_KV", namespace_id: id }]);
    // Each stage is bound to its own namespace.
    expect(kvBindings(otherPlan)).toEqual([
      { type: "kv_namespace", name: "AUTH_KV", namespace_id: namespaceOf(otherPlan)?.id },
    ]);
    expect(namespaceOf(otherPlan)?.id).not.toBe(id);
  });

  it("switches D1 read replication on for the stage's database", () => {
    const database = databaseOf(plan);
    expect(replicationCalls(first)).toEqual([{ read_replication: { mode: "auto" } }]);
    expect(
      first.filter((r) => r.method === "PATCH").map((r) => r.path),
      "the PATCH names this stage's database",
    ).toEqual([`${acct()}/d1/database/${database?.uuid}`]);
    expect(database?.read_replication).toEqual({ mode: "auto" });
  });

  it("an unchanged re-run sends no request at all", async () => {
    const { sent } = await apply(true);
    expect(routesOf(sent)).toEqual([]);
  });
});

describe("turning storage off, then on again", () => {
  it("off: the Worker loses AUTH_KV first, then the namespace is deleted and replication switched off", async () => {
    const id = namespaceOf(plan)?.id as string;
    const otherId = namespaceOf(otherPlan)?.id as string;
    const { sent } = await apply(false);
    expect(sent.filter((r) => !r.handled)).toEqual([]);
    expect(kvBindings(plan)).toEqual([]);
    expect(api.kv.has(id)).toBe(false);
    const writes = routesOf(mutating(sent));
    const upload = writes.indexOf(`PUT ${acct()}/workers/scripts/${plan.names.worker}`);
    const remove = writes.indexOf(`DELETE ${acct()}/storage/kv/namespaces/${id}`);
    expect(upload).toBeGreaterThanOrEqual(0);
    // A namespace deleted while the live Worker still binds it would break that Worker's requests.
    expect(remove).toBeGreaterThan(upload);
    expect(writes.filter((w) => w.includes("/storage/kv/"))).toEqual([
      `DELETE ${acct()}/storage/kv/namespaces/${id}`,
    ]);
    expect(replicationCalls(sent)).toEqual([{ read_replication: { mode: "disabled" } }]);
    expect(databaseOf(plan)?.read_replication).toEqual({ mode: "disabled" });
    // The other stage keeps its namespace, its binding and its replicas; nothing named it.
    expect(sent.filter((r) => r.path.includes(otherId) || r.path.includes(otherPlan.names.worker))).toEqual(
      [],
    );
    expect(api.kv.has(otherId)).toBe(true);
    expect(databaseOf(otherPlan)?.read_replication).toEqual({ mode: "auto" });
  });

  it("off, unchanged: a re-run sends no request at all", async () => {
    const { sent } = await apply(false);
    expect(routesOf(sent)).toEqual([]);
  });

  it("on again: a fresh, empty namespace is created and bound, and replication is back on", async () => {
    const { sent } = await apply(true);
    const namespace = namespaceOf(plan);
    expect(namespace).toBeDefined();
    expect(api.kv.entries(namespace?.id as string)?.size).toBe(0);
    expect(kvBindings(plan)).toEqual([
      { type: "kv_namespace", name: "AUTH_KV", namespace_id: namespace?.id },
    ]);
    expect(replicationCalls(sent)).toEqual([{ read_replication: { mode: "auto" } }]);
    // The namespace exists before the upload that binds it (the stand-in refuses an unknown id).
    const writes = routesOf(mutating(sent));
    expect(writes.indexOf(`POST ${acct()}/storage/kv/namespaces`)).toBeLessThan(
      writes.indexOf(`PUT ${acct()}/workers/scripts/${plan.names.worker}`),
    );
  });
});

describe("--destroy", () => {
  it("deletes the stage's namespace with its Worker and database, and leaves the other stage's alone", async () => {
    const id = namespaceOf(plan)?.id as string;
    const otherId = namespaceOf(otherPlan)?.id as string;
    const databaseId = databaseOf(plan)?.uuid as string;
    const mark = api.mark();
    const run = await destroy(stage, config, env);
    expect(run.code, run.output).toBe(0);
    const sent = api.since(mark);
    expect(routesOf(mutating(sent)).sort()).toEqual(
      [
        `DELETE ${acct()}/d1/database/${databaseId}`,
        `DELETE ${acct()}/storage/kv/namespaces/${id}`,
        `DELETE ${acct()}/workers/scripts/${plan.names.worker}`,
      ].sort(),
    );
    expect(api.kv.has(id)).toBe(false);
    expect(sent.filter((r) => r.path.includes(otherId))).toEqual([]);
    expect(api.kv.has(otherId)).toBe(true);
    expect(kvBindings(otherPlan)).toEqual([{ type: "kv_namespace", name: "AUTH_KV", namespace_id: otherId }]);
  });
});

describe("the stand-in's KV routes", () => {
  it("refuse a second namespace with the same title, list in pages, rename and write in bulk", async () => {
    const call = async (method: string, route: string, body?: unknown) => {
      const res = await fetch(`${api.baseUrl}${acct()}${route}`, {
        method,
        headers: { authorization: `Bearer ${api.options.token}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return {
        status: res.status,
        json: (await res.json()) as { result: unknown; errors: unknown; result_info?: unknown },
      };
    };
    const created = await call("POST", "/storage/kv/namespaces", { title: `${stage}-probe` });
    const id = (created.json.result as { id: string }).id;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect((await call("POST", "/storage/kv/namespaces", { title: `${stage}-probe` })).json.errors).toEqual([
      { code: 10014, message: "a namespace with this account ID and title already exists" },
    ]);
    const page = await call("GET", "/storage/kv/namespaces?page=1&per_page=5");
    expect(page.json.result_info).toMatchObject({ page: 1, per_page: 5 });
    const renamed = await call("PUT", `/storage/kv/namespaces/${id}`, { title: `${stage}-renamed` });
    expect(renamed.json.result).toEqual({ id, title: `${stage}-renamed`, supports_url_encoding: true });
    const bulk = await call("PUT", `/storage/kv/namespaces/${id}/bulk`, [
      { key: "a", value: "1", expiration_ttl: 120 },
      { key: "b", value: "Mg==", base64: true },
    ]);
    expect(bulk.json.result).toEqual({ successful_key_count: 2, unsuccessful_keys: [] });
    expect(api.kv.entries(id)?.get("b")).toEqual({ value: "2" });
    expect(
      (await call("PUT", `/storage/kv/namespaces/${id}/bulk`, [{ key: "c", value: "3", expiration_ttl: 30 }]))
        .status,
    ).toBe(400);
    expect((await call("DELETE", `/storage/kv/namespaces/${id}`)).status).toBe(200);
    // A Worker cannot bind a namespace that does not exist (any more).
    const form = new FormData();
    form.set(
      "metadata",
      JSON.stringify({
        main_module: "index.js",
        compatibility_date: "2025-01-01",
        bindings: [{ type: "kv_namespace", name: "AUTH_KV", namespace_id: id }],
      }),
    );
    form.set(
      "index.js",
      new Blob(["export default {}"], { type: "application/javascript+module" }),
      "index.js",
    );
    const upload = await fetch(`${api.baseUrl}${acct()}/workers/scripts/${stage}-probe`, {
      method: "PUT",
      headers: { authorization: `Bearer ${api.options.token}` },
      body: form,
    });
    expect(upload.status).toBe(400);
    expect(((await upload.json()) as { errors: unknown }).errors).toEqual([
      {
        code: 10042,
        message: `KV namespace '${id}' is not valid. Please verify the namespace_id in your configuration.`,
      },
    ]);
    expect((await call("GET", `/storage/kv/namespaces/${id}`)).json.errors).toEqual([
      { code: 10013, message: "namespace not found" },
    ]);
  });
});
