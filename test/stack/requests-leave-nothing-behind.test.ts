/**
 * A request leaves nothing behind in the isolate: the generated Worker on workerd (Miniflare) with
 * the V8 inspector on, heap snapshots before and after a few hundred get-sessions. A request's
 * Request, Response and AsyncLocalStorage frame must be collectable once it is answered; a cycle
 * through workerd's strong handle on a store value once kept all of them (docs/PERFORMANCE.md,
 * "Memory kept per request").
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.ts";
import { defineAuth, defineConfig, defineRuntime } from "../../src/index.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";
import { type HeapSummary, heapSummary } from "../support/heap-snapshot.ts";
import { type Inspector, inspector } from "../support/inspector.ts";
import { freePort } from "../support/program-process.ts";
import { type PlannedWorker, runPlannedWorker } from "../support/run-planned-worker.ts";

const API = "https://api.example.test";
const REQUESTS = 300;
let worker: PlannedWorker;
let cdp: Inspector;
let cookie: string;

const live = (heap: HeapSummary, kind: string) => heap.get(`native workerd / ${kind}`)?.count ?? 0;

beforeAll(async () => {
  const config = parseConfig(
    defineConfig({
      name: "nothing-behind",
      providers: {
        runtime: defineRuntime("cloudflare", { domains: { api: "api.example.test", zone: "example.test" } }),
        auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }),
      },
    }),
  );
  const plan = planDeployment({
    config,
    env: { ALCHEMY_PASSWORD: "x" },
    stage: "production",
    mode: "deploy",
  });
  const inspectorPort = await freePort();
  worker = await runPlannedWorker(
    plan,
    { BETTER_AUTH_SECRET: "nothing-behind-test-secret-0123456789abcdef" },
    { inspectorPort },
  );
  const up = await worker.fetch(`${API}/auth/v1/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: API },
    body: JSON.stringify({
      email: "kept@example.com",
      password: "correct horse battery staple",
      name: "Kept",
    }),
  });
  expect(up.status).toBe(200);
  cookie = up.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  cdp = await inspector(inspectorPort);
}, 120_000);

afterAll(async () => {
  cdp?.close();
  await worker?.dispose();
});

async function getSession(): Promise<void> {
  const res = await worker.fetch(`${API}/auth/v1/get-session`, { headers: { cookie } });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { user: { email: string } }).user.email).toBe("kept@example.com");
}

describe("get-session, a few hundred times", () => {
  it("keeps no request's Request, Response or async frame once answered", async () => {
    for (let i = 0; i < 20; i++) await getSession();
    const before = await heapSummary(cdp);
    for (let i = 0; i < REQUESTS; i++) await getSession();
    const after = await heapSummary(cdp);
    // A handful may be in flight or cached by the runtime; one per request served is a leak.
    for (const kind of ["Request", "Response", "AsyncContextFrame"]) {
      expect(live(after, kind) - live(before, kind), kind).toBeLessThan(REQUESTS / 10);
    }
  }, 120_000);
});
