/**
 * Webhooks on a local stack: events go through a Queue that Miniflare runs, signed per Standard
 * Webhooks (verified with the `standardwebhooks` package), retried by the endpoint's schedule with the
 * same id, delivered exactly once to a receiver that fails and then recovers, and a dead receiver's
 * events land in the dead-letter queue and from there in D1 — while sign-ups answer at once.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localD1File } from "../support/local-d1.ts";
import {
  localEnv,
  querySqlite,
  ROOT,
  type RunningStack,
  runProgram,
  startStack,
  uniqueStage,
} from "../support/stack.ts";
import { signUpUser, TEST_PASSWORD } from "../support/users.ts";
import { type Delivery, WebhookReceiver } from "../support/webhook-receiver.ts";

const APP = "webhooks-test";
const stage = uniqueStage("webhooks");
/** Standard Webhooks secrets: whsec_ + base64 of random bytes. */
const SECRET = `whsec_${Buffer.from("authform-webhooks-test-secret-32b").toString("base64")}`;
const OTHER_SECRET = `whsec_${Buffer.from("another-endpoint's-secret-0123456").toString("base64")}`;
let receiver: WebhookReceiver;
let stack: RunningStack;
let args: string[];
let env: NodeJS.ProcessEnv;

/** The config a user would write, pointing at this run's receiver. */
async function writeWebhookConfig(origin: string): Promise<string> {
  const dir = path.join(ROOT, ".authform", "webhook-tests");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, "webhooks.config.ts");
  const src = path
    .relative(dir, path.join(ROOT, "src", "index.ts"))
    .split(path.sep)
    .join("/");
  await writeFile(
    file,
    `import { defineAuth, defineConfig, defineDatabase } from "./${src}";
export default defineConfig({
  name: ${JSON.stringify(APP)},
  providers: {
    database: defineDatabase("cloudflare-d1"),
    auth: defineAuth("better-auth", {
      emailAndPassword: { enabled: true },
      webhooks: [
        { url: "${origin}/ok", events: ["user.created", "session.created"], secretEnv: "WEBHOOK_SECRET" },
        { url: "${origin}/flaky", events: ["user.created"], secretEnv: "FLAKY_WEBHOOK_SECRET", retryDelaysSeconds: [1, 1, 1] },
        { url: "${origin}/dead", events: ["user.created"], secretEnv: "WEBHOOK_SECRET", retryDelaysSeconds: [1, 1] },
      ],
    }),
  },
});
`,
  );
  return path.relative(ROOT, file);
}

beforeAll(async () => {
  receiver = await WebhookReceiver.start({
    "/ok": { secret: SECRET, behaviour: { kind: "ok" } },
    "/flaky": { secret: OTHER_SECRET, behaviour: { kind: "fail-first", times: 2 } },
    "/dead": { secret: SECRET, behaviour: { kind: "status", status: 503 } },
  });
  args = ["--config", await writeWebhookConfig(receiver.origin)];
  env = { ...localEnv(), WEBHOOK_SECRET: SECRET, FLAKY_WEBHOOK_SECRET: OTHER_SECRET };
  stack = await startStack(stage, { args, env });
});

afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

type Payload = { type: string; timestamp: string; data: { userId: string; method: string | null } };
const payload = (d: Delivery) => JSON.parse(d.body) as Payload;

/** Waits (bounded) until `check` holds for the receiver's deliveries. */
async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}: ${JSON.stringify(receiver.deliveries.map((d) => [d.path, d.id, d.status]))}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("webhooks through a Queue", () => {
  const people = ["Ada", "Grace", "Edsger", "Barbara"];
  let users: { id: string; email: string }[] = [];

  beforeAll(async () => {
    // Sign-ups at once: each answers without waiting on any receiver (the dead one included).
    users = await Promise.all(people.map((name) => signUpUser(stack.url, name)));
  });

  it("delivers each sign-up's user.created, signed so that standardwebhooks verifies it", async () => {
    const created = () => receiver.to("/ok").filter((d) => payload(d).type === "user.created");
    await until(() => created().length >= users.length, "user.created at /ok");
    expect(
      created()
        .map((d) => payload(d).data.userId)
        .sort(),
    ).toEqual(users.map((u) => u.id).sort());
    for (const d of created()) {
      expect(d.verified, d.body).toBe(true);
      expect(d.id).toMatch(/^msg_[0-9a-f]{32}_0$/);
      expect(d.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(Math.abs(d.timestamp - Date.now() / 1000)).toBeLessThan(60);
    }
    // One event, one id per endpoint: no repeats at a receiver that answered 200.
    expect(new Set(created().map((d) => d.id)).size).toBe(created().length);
  });

  it("signs with each endpoint's own secret: another endpoint's secret does not verify it", async () => {
    await until(() => receiver.to("/flaky").length > 0, "a delivery at /flaky");
    const first = receiver.to("/flaky")[0] as Delivery;
    expect(first.verified).toBe(true);
    const { Webhook } = await import("standardwebhooks");
    expect(() =>
      new Webhook(SECRET).verify(first.body, {
        "webhook-id": first.id,
        "webhook-timestamp": String(first.timestamp),
        "webhook-signature": first.signature,
      }),
    ).toThrow(/signature/i);
  });

  it("sends session.created on a sign-in to the endpoint that asked for it, and only there", async () => {
    const [ada] = users;
    const res = await fetch(`${stack.url}/auth/v1/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: stack.url },
      body: JSON.stringify({ email: ada?.email, password: TEST_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const sessions = () => receiver.deliveries.filter((d) => payload(d).type === "session.created");
    // A sign-up is its own event (user.created): this sign-in is the first session.created.
    await until(() => sessions().some((d) => payload(d).data.userId === ada?.id), "Ada's session.created");
    expect(sessions()).toHaveLength(1);
    expect(new Set(sessions().map((d) => d.path))).toEqual(new Set(["/ok"]));
    expect(payload(sessions().at(-1) as Delivery).data.method).toBe("password");
  });

  it("retries a failing receiver with the same id until it recovers: every event delivered exactly once", async () => {
    const accepted = () => receiver.to("/flaky").filter((d) => d.status === 200);
    await until(() => accepted().length >= users.length, "each event accepted once at /flaky");
    const byId = new Map<string, Delivery[]>();
    for (const d of receiver.to("/flaky")) byId.set(d.id, [...(byId.get(d.id) ?? []), d]);
    expect(byId.size).toBe(users.length);
    for (const [id, attempts] of byId) {
      // Two 500s, then the 200: the schedule's first two delays, and nothing after the success.
      expect(
        attempts.map((d) => d.status),
        id,
      ).toEqual([500, 500, 200]);
      expect(new Set(attempts.map((d) => d.body)).size).toBe(1);
      expect(attempts.every((d) => d.verified)).toBe(true);
      // Each attempt is signed afresh with its own time (receivers refuse stale timestamps).
      const times = attempts.map((d) => d.timestamp);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    expect(
      accepted()
        .map((d) => payload(d).data.userId)
        .sort(),
    ).toEqual(users.map((u) => u.id).sort());
  });

  it("puts a dead receiver's events in the dead-letter queue after its retries, kept in D1 once each", async () => {
    const db = await localD1File(APP, stage);
    type Row = {
      id: string;
      endpointUrl: string;
      type: string;
      attempts: number;
      lastError: string;
      payload: string;
    };
    const letters = () =>
      querySqlite<Row>(
        db,
        "SELECT id, endpointUrl, type, attempts, lastError, payload FROM webhookDeadLetter",
      );
    const deadline = Date.now() + 30_000;
    while ((await letters()).length < users.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const rows = await letters();
    expect(rows).toHaveLength(users.length);
    for (const row of rows) {
      expect(row).toMatchObject({
        endpointUrl: `${receiver.origin}/dead`,
        type: "user.created",
        attempts: 3,
        lastError: "HTTP 503",
      });
      // The attempts the receiver saw: the first and the two retries of its schedule, then no more.
      expect(receiver.to("/dead").filter((d) => d.id === row.id)).toHaveLength(3);
    }
    expect(rows.map((r) => (JSON.parse(r.payload) as Payload).data.userId).sort()).toEqual(
      users.map((u) => u.id).sort(),
    );
  });
});

describe("a webhook's secret comes from the environment", () => {
  it("refuses to start without it, naming the variable and how to make one", async () => {
    const run = await runProgram(["--plan", "--stage", uniqueStage("wh-nosecret"), ...args], {
      ...localEnv(),
      WEBHOOK_SECRET: SECRET,
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain("FLAKY_WEBHOOK_SECRET: webhooks[1]");
    expect(run.output).toContain("whsec_");
  });
});
