/** The plan's storage entry: defineStorage("cloudflare-kv") adds a per-stage KV namespace bound as AUTH_KV. */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse.ts";
import { defineAuth, defineConfig, defineDatabase, defineStorage } from "../../src/index.ts";
import { formatPlan } from "../../src/plan/format-plan.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";

const auth = defineAuth("better-auth", { emailAndPassword: { enabled: true } });
const withKv = parseConfig(
  defineConfig({ name: "app", providers: { auth, storage: defineStorage("cloudflare-kv") } }),
);
const withoutKv = parseConfig(defineConfig({ name: "app", providers: { auth } }));
const database = defineDatabase("cloudflare-d1", { vars: { BETTER_AUTH_URL: "https://api.example.com" } });
const deployed = (storage: boolean) =>
  planDeployment({
    config: parseConfig(
      defineConfig({
        name: "app",
        providers: { database, auth, ...(storage ? { storage: defineStorage("cloudflare-kv") } : {}) },
      }),
    ),
    env: { ALCHEMY_PASSWORD: "p" },
    stage: "prod",
    mode: "deploy",
  });

describe("planDeployment with defineStorage", () => {
  it("adds a KV namespace named by app and stage, bound as AUTH_KV", () => {
    const alice = planDeployment({ config: withKv, env: {}, stage: "alice", mode: "local", port: 1400 });
    const bob = planDeployment({ config: withKv, env: {}, stage: "bob", mode: "local", port: 1401 });
    expect(alice.bindings).toEqual({ DB: "d1", AUTH_KV: "kv" });
    expect(alice.names.kv).toBe("app-alice-kv");
    expect(bob.names.kv).toBe("app-bob-kv");
  });

  it("shows the namespace and binding in --plan", () => {
    const text = formatPlan(
      planDeployment({ config: withKv, env: {}, stage: "alice", mode: "local", port: 1400 }),
    );
    expect(text).toContain("KV namespace  app-alice-kv");
    expect(text).toMatch(/AUTH_KV\s+kv/);
  });

  it("without defineStorage: no namespace, no binding, D1 only", () => {
    const plan = planDeployment({ config: withoutKv, env: {}, stage: "alice", mode: "local", port: 1400 });
    expect(plan.bindings).toEqual({ DB: "d1" });
    expect(plan.names.kv).toBeUndefined();
    expect(formatPlan(plan)).not.toContain("KV namespace");
  });

  it("decides D1 read replication: on for a deploy with storage, shown in --plan", () => {
    const plan = deployed(true);
    expect(plan.database).toEqual({ readReplication: true });
    expect(formatPlan(plan)).toContain(
      "D1 database   app-prod-db  (migrations from migrations/, read replicas)",
    );
  });

  it("keeps one D1 without storage, and in local mode even with it", () => {
    const local = planDeployment({ config: withKv, env: {}, stage: "alice", mode: "local", port: 1400 });
    for (const plan of [deployed(false), local]) {
      expect(plan.database).toEqual({ readReplication: false });
      expect(formatPlan(plan)).not.toContain("read replicas");
    }
  });
});
