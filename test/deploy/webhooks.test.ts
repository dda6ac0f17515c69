/** Webhooks in deploy mode: the stage's two queues, the Worker's queue bindings, consumers and signing secret; unchanged, removed, destroyed. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeploymentPlan } from "../../src/plan/types.ts";
import {
  CloudflareApiStandIn,
  mutating,
  type RecordedRequest,
  routesOf,
  type WorkerBinding,
} from "../support/cloudflare-api/index.ts";
import { uniqueStage } from "../support/stack.ts";
import { deploy, deployEnv, destroy, destroyStages, planFor, writeConfig } from "./deploy-support.ts";

const APP = "deploy-webhooks";
const stage = uniqueStage("wh");
const other = uniqueStage("whother");
const SECRET = `whsec_${Buffer.from("authform-deploy-webhooks-secret-32").toString("base64")}`;
const ENDPOINT = {
  url: "https://hooks.example.com/authform",
  events: ["user.created", "session.created"],
  secretEnv: "WEBHOOK_SECRET",
};
let api: CloudflareApiStandIn;
let env: NodeJS.ProcessEnv;
let withHooks: string;
let withoutHooks: string;
let plan: DeploymentPlan;
let otherPlan: DeploymentPlan;
/** What the first deploy of `stage` sent. */
let first: RecordedRequest[];

beforeAll(async () => {
  api = await CloudflareApiStandIn.start();
  env = deployEnv(api, { WEBHOOK_SECRET: SECRET });
  withHooks = await writeConfig("webhooks-on.config.ts", { app: APP, webhooks: [ENDPOINT] });
  withoutHooks = await writeConfig("webhooks-off.config.ts", { app: APP });
  // Two stages side by side: `other` is the one --destroy takes down, `stage` loses its webhooks.
  const mark = api.mark();
  const [run, otherRun] = await Promise.all([deploy(stage, withHooks, env), deploy(other, withHooks, env)]);
  expect(run.code, run.output).toBe(0);
  expect(otherRun.code, otherRun.output).toBe(0);
  plan = await planFor(withHooks, env, stage);
  otherPlan = await planFor(withHooks, env, other);
  first = api.since(mark).filter((r) => !r.path.includes(otherPlan.names.worker) && !bodyNames(r, otherPlan));
}, 200_000);

afterAll(async () => {
  if (api) {
    await destroyStages([
      { stage, config: withoutHooks, env },
      { stage: other, config: withHooks, env },
    ]);
  }
  await api?.close();
});

const acct = () => `/accounts/${api.options.accountId}`;
const queueNames = (p: DeploymentPlan) => p.names.webhooks as { queue: string; deadLetters: string };
/** True when a request's JSON body names one of the plan's queues or its Worker. */
function bodyNames(r: RecordedRequest, p: DeploymentPlan): boolean {
  const text = JSON.stringify(r.body ?? {});
  const names = queueNames(p);
  return [names.queue, names.deadLetters, p.names.worker].some((n) => text.includes(`"${n}"`));
}
const bindingsOf = (p: DeploymentPlan): WorkerBinding[] =>
  api.workers.get(p.names.worker)?.metadata.bindings ?? [];
const queueBindings = (p: DeploymentPlan) =>
  bindingsOf(p)
    .filter((b) => b.type === "queue")
    .sort((a, b) => a.name.localeCompare(b.name));
const queuePaths = (sent: RecordedRequest[]) =>
  routesOf(mutating(sent)).filter((r) => r.includes(`${acct()}/queues`));

describe("a deploy with webhooks", () => {
  it("creates the delivery and dead-letter queues by the plan's names, with calls the stand-in knows", () => {
    expect(queueNames(plan)).toEqual({
      queue: `${APP}-${stage}-webhooks`,
      deadLetters: `${APP}-${stage}-webhooks-dlq`,
    });
    expect(first.filter((r) => !r.handled)).toEqual([]);
    const creates = first.filter((r) => r.method === "POST" && r.path === `${acct()}/queues`);
    expect(creates.map((r) => r.body)).toEqual([
      { queue_name: queueNames(plan).deadLetters },
      { queue_name: queueNames(plan).queue },
    ]);
    expect(api.queues.byName(queueNames(plan).queue)).toBeDefined();
    expect(api.queues.byName(queueNames(plan).deadLetters)).toBeDefined();
  });

  it("binds WEBHOOKS and WEBHOOKS_DLQ to the stage's own queues in the uploaded Worker", () => {
    expect(queueBindings(plan)).toEqual([
      { type: "queue", name: "WEBHOOKS", queue_name: queueNames(plan).queue },
      { type: "queue", name: "WEBHOOKS_DLQ", queue_name: queueNames(plan).deadLetters },
    ]);
    expect(queueBindings(otherPlan)).toEqual([
      { type: "queue", name: "WEBHOOKS", queue_name: queueNames(otherPlan).queue },
      { type: "queue", name: "WEBHOOKS_DLQ", queue_name: queueNames(otherPlan).deadLetters },
    ]);
    expect(api.queues.byName(queueNames(plan).queue)?.producers).toEqual([
      { type: "worker", script: plan.names.worker },
    ]);
  });

  it("makes the endpoint's signing secret a Worker secret, from the environment", () => {
    const secret = bindingsOf(plan).find((b) => b.name === "WEBHOOK_SECRET");
    expect(secret?.type).toBe("secret_text");
    // Compared, never printed: a failure says only true/false.
    expect(secret?.text === SECRET).toBe(true);
  });

  it("makes the Worker the consumer of both, the delivery queue's dead-lettering into the DLQ", () => {
    const delivery = api.queues.byName(queueNames(plan).queue);
    const deadLetters = api.queues.byName(queueNames(plan).deadLetters);
    expect(delivery?.consumers).toEqual([
      expect.objectContaining({
        script: plan.names.worker,
        type: "worker",
        dead_letter_queue: queueNames(plan).deadLetters,
        settings: expect.objectContaining({ batch_size: 10, max_wait_time_ms: 1000, max_retries: 100 }),
      }),
    ]);
    expect(deadLetters?.consumers).toEqual([
      expect.objectContaining({
        script: plan.names.worker,
        dead_letter_queue: "",
        settings: expect.objectContaining({ batch_size: 10, max_wait_time_ms: 1000, max_retries: 100 }),
      }),
    ]);
    // A consumer is of a Worker that exists: each is created after the upload.
    const writes = routesOf(mutating(first));
    const upload = writes.indexOf(`PUT ${acct()}/workers/scripts/${plan.names.worker}`);
    const consumerCreates = writes.flatMap((w, i) =>
      /^POST .*\/queues\/[^/]+\/consumers$/.test(w) ? [i] : [],
    );
    expect(consumerCreates).toHaveLength(2);
    for (const i of consumerCreates) expect(i).toBeGreaterThan(upload);
  });

  it("an unchanged re-run writes nothing", async () => {
    const mark = api.mark();
    const run = await deploy(stage, withHooks, env);
    expect(run.code, run.output).toBe(0);
    expect(routesOf(mutating(api.since(mark)))).toEqual([]);
  });
});

describe("removing webhooks from the config", () => {
  it("uploads the Worker without the queue bindings, then deletes both consumers and both queues", async () => {
    const delivery = api.queues.byName(queueNames(plan).queue);
    const deadLetters = api.queues.byName(queueNames(plan).deadLetters);
    const mark = api.mark();
    const run = await deploy(stage, withoutHooks, env);
    expect(run.code, run.output).toBe(0);
    const sent = api.since(mark);
    expect(sent.filter((r) => !r.handled)).toEqual([]);
    expect(queueBindings(plan)).toEqual([]);
    expect(bindingsOf(plan).some((b) => b.name === "WEBHOOK_SECRET")).toBe(false);
    expect(api.queues.byName(queueNames(plan).queue)).toBeUndefined();
    expect(api.queues.byName(queueNames(plan).deadLetters)).toBeUndefined();
    expect(api.queues.consumersOfScript(plan.names.worker)).toEqual([]);
    const queueWrites = queuePaths(sent);
    expect(queueWrites.filter((w) => w.startsWith("DELETE") && !w.includes("/consumers/")).sort()).toEqual(
      [
        `DELETE ${acct()}/queues/${delivery?.queue_id}`,
        `DELETE ${acct()}/queues/${deadLetters?.queue_id}`,
      ].sort(),
    );
    // A queue deleted while the live Worker still sends to it would fail that Worker's sign-ins' events.
    const writes = routesOf(mutating(sent));
    const upload = writes.indexOf(`PUT ${acct()}/workers/scripts/${plan.names.worker}`);
    expect(upload).toBeGreaterThanOrEqual(0);
    for (const queue of [delivery, deadLetters]) {
      const removed = writes.indexOf(`DELETE ${acct()}/queues/${queue?.queue_id}`);
      expect(removed).toBeGreaterThan(upload);
      // Its consumer goes first, by its own id.
      const consumer = writes.indexOf(
        `DELETE ${acct()}/queues/${queue?.queue_id}/consumers/${queue?.consumers[0]?.consumer_id}`,
      );
      expect(consumer).toBeGreaterThan(upload);
      expect(consumer).toBeLessThan(removed);
    }
    // The other stage keeps its queues, bindings and consumers.
    expect(sent.filter((r) => r.path.includes(otherPlan.names.worker) || bodyNames(r, otherPlan))).toEqual(
      [],
    );
    expect(api.queues.consumersOfScript(otherPlan.names.worker)).toHaveLength(2);
  });

  it("a re-run without webhooks writes nothing", async () => {
    const mark = api.mark();
    const run = await deploy(stage, withoutHooks, env);
    expect(run.code, run.output).toBe(0);
    expect(routesOf(mutating(api.since(mark)))).toEqual([]);
  });
});

describe("adding webhooks to a deployed stage", () => {
  it("is preflighted: without Queues Write it stops before any write; granted, it deploys them", async () => {
    const granted = api.options.permissions;
    granted.splice(granted.indexOf("Queues Write"), 1);
    try {
      const mark = api.mark();
      const run = await deploy(stage, withHooks, env);
      expect(run.code, run.output).toBe(1);
      expect(run.output).toContain("✗ Account · Queues · Edit");
      expect(run.output).toContain(`Stage "${stage}" stays as its last run left it`);
      expect(mutating(api.since(mark))).toEqual([]);
    } finally {
      granted.push("Queues Write");
    }
    const again = await deploy(stage, withHooks, env);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain("Preflight passed");
    expect(queueBindings(plan).map((b) => b.queue_name)).toEqual([
      queueNames(plan).queue,
      queueNames(plan).deadLetters,
    ]);
    expect(api.queues.consumersOfScript(plan.names.worker)).toHaveLength(2);
  });
});

describe("--destroy of a stage with webhooks", () => {
  it("deletes its consumers, queues, Worker and database, and nothing of another stage", async () => {
    const names = queueNames(otherPlan);
    const queues = [api.queues.byName(names.queue), api.queues.byName(names.deadLetters)];
    const ids = queues.map((q) => q?.queue_id);
    const mark = api.mark();
    const run = await destroy(other, withHooks, env);
    expect(run.code, run.output).toBe(0);
    const sent = api.since(mark);
    expect(sent.filter((r) => !r.handled)).toEqual([]);
    expect(api.queues.byName(names.queue)).toBeUndefined();
    expect(api.queues.byName(names.deadLetters)).toBeUndefined();
    expect(api.workers.get(otherPlan.names.worker)).toBeUndefined();
    expect(api.d1.list(otherPlan.names.database)).toEqual([]);
    const deletes = routesOf(mutating(sent)).filter(
      (w) => w.includes("/queues/") && !w.includes("/consumers/"),
    );
    expect(deletes.sort()).toEqual(ids.map((id) => `DELETE ${acct()}/queues/${id}`).sort());
    // The Worker stops consuming before it is deleted (Alchemy removes its consumers first).
    const writes = routesOf(mutating(sent));
    const worker = writes.indexOf(`DELETE ${acct()}/workers/scripts/${otherPlan.names.worker}`);
    for (const queue of queues) {
      const consumer = `DELETE ${acct()}/queues/${queue?.queue_id}/consumers/${queue?.consumers[0]?.consumer_id}`;
      expect(writes.indexOf(consumer)).toBeGreaterThanOrEqual(0);
      expect(writes.indexOf(consumer)).toBeLessThan(worker);
    }
    // `stage` (its webhooks removed) still has its Worker.
    expect(api.workers.get(plan.names.worker)).toBeDefined();
  });
});

describe("the stand-in's Queues routes", () => {
  const call = async (base: CloudflareApiStandIn, method: string, route: string, body?: unknown) => {
    const res = await fetch(`${base.baseUrl}/accounts/${base.options.accountId}${route}`, {
      method,
      headers: { authorization: `Bearer ${base.options.token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: res.status,
      json: (await res.json()) as { result: unknown; errors: unknown; result_info?: unknown },
    };
  };

  it("keep names unique, page the list, rename, and hold one consumer per queue within its bounds", async () => {
    const name = `${stage}-probe`;
    const created = await call(api, "POST", "/queues", { queue_name: name });
    const queue = created.json.result as { queue_id: string; settings: unknown };
    expect(queue.queue_id).toMatch(/^[0-9a-f]{32}$/);
    expect(queue.settings).toEqual({
      delivery_delay: 0,
      delivery_paused: false,
      message_retention_period: 345_600,
    });
    const clash = await call(api, "POST", "/queues", { queue_name: name });
    expect(clash.status).toBe(409);
    expect((await call(api, "POST", "/queues", { queue_name: "Not_Valid" })).status).toBe(400);
    const page = await call(api, "GET", "/queues?page=1&per_page=1");
    expect(page.json.result_info).toMatchObject({ page: 1, per_page: 1, count: 1 });
    const renamed = await call(api, "PATCH", `/queues/${queue.queue_id}`, { queue_name: `${name}-2` });
    expect(renamed.json.result).toMatchObject({ queue_id: queue.queue_id, queue_name: `${name}-2` });

    const consumers = `/queues/${queue.queue_id}/consumers`;
    // Only a Worker that exists can consume.
    expect(
      (await call(api, "POST", consumers, { script_name: `${stage}-nobody`, type: "worker" })).status,
    ).toBe(404);
    expect(
      (await call(api, "POST", consumers, { script_name: plan.names.worker, settings: { max_retries: 101 } }))
        .status,
    ).toBe(400);
    const consumer = await call(api, "POST", consumers, {
      script_name: plan.names.worker,
      type: "worker",
      dead_letter_queue: "some-dlq",
      settings: { batch_size: 5, max_retries: 2 },
    });
    const id = (consumer.json.result as { consumer_id: string }).consumer_id;
    expect(consumer.json.result).toMatchObject({
      script: plan.names.worker,
      dead_letter_queue: "some-dlq",
      settings: { batch_size: 5, max_retries: 2, max_wait_time_ms: 5_000, retry_delay: 0 },
    });
    const second = await call(api, "POST", consumers, { script_name: plan.names.worker, type: "worker" });
    expect(second.status).toBe(400);
    expect(JSON.stringify(second.json.errors)).toContain("already has a consumer");
    const updated = await call(api, "PUT", `${consumers}/${id}`, {
      script_name: plan.names.worker,
      type: "worker",
      settings: { batch_size: 50 },
    });
    expect(updated.json.result).toMatchObject({
      dead_letter_queue: "",
      settings: { batch_size: 50, max_retries: 3 },
    });
    const byScript = await call(api, "GET", `/workers/scripts/${plan.names.worker}/queue-consumers`);
    expect(
      (byScript.json.result as { consumer_id: string; queue_id: string }[])
        .filter((c) => c.queue_id === queue.queue_id)
        .map((c) => c.consumer_id),
    ).toEqual([id]);
    expect((await call(api, "DELETE", `${consumers}/${id}`)).status).toBe(200);
    expect((await call(api, "GET", consumers)).json.result).toEqual([]);
    expect((await call(api, "DELETE", `/queues/${queue.queue_id}`)).status).toBe(200);
    expect((await call(api, "GET", `/queues/${queue.queue_id}`)).status).toBe(404);
  });

  it("refuse a Worker upload whose queue binding names no queue, and writes without Queues Write", async () => {
    const form = new FormData();
    form.set(
      "metadata",
      JSON.stringify({
        main_module: "index.js",
        compatibility_date: "2025-01-01",
        bindings: [{ type: "queue", name: "WEBHOOKS", queue_name: `${stage}-missing` }],
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
    expect(JSON.stringify(await upload.json())).toContain(`Queue \\"${stage}-missing\\" does not exist`);

    const readOnly = await CloudflareApiStandIn.start({ permissions: ["Queues Read"] });
    try {
      expect((await call(readOnly, "GET", "/queues")).status).toBe(200);
      const refused = await call(readOnly, "POST", "/queues", { queue_name: "q" });
      expect(refused.status).toBe(403);
      expect(refused.json.errors).toEqual([{ code: 10000, message: "Authentication error" }]);
    } finally {
      await readOnly.close();
    }
  });
});
