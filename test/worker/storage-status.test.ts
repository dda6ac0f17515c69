/** The Worker takes its storage from the plan's manifest, not from whichever bindings happen to be there. */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse.ts";
import { defineAuth, defineConfig, defineStorage } from "../../src/index.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";
import { storageStatus } from "../../worker/auth/storage-status.ts";
import type { WorkerEnv } from "../../worker/env.ts";

const auth = defineAuth("better-auth", { emailAndPassword: { enabled: true } });

function manifestFor(storage: boolean) {
  const config = parseConfig(
    defineConfig({
      name: "app",
      providers: { auth, ...(storage ? { storage: defineStorage("cloudflare-kv") } : {}) },
    }),
  );
  return planDeployment({ config, env: {}, stage: "s", mode: "local", port: 1400 }).manifest;
}

const env = (kv: boolean) => ({ DB: {}, ...(kv ? { AUTH_KV: {} } : {}) }) as unknown as WorkerEnv;

describe("storage as the manifest says", () => {
  it("defineStorage('cloudflare-kv'): the manifest names it, sessions go to KV, counters stay in D1 (atomic)", () => {
    const manifest = manifestFor(true);
    expect(manifest.storage).toBe("cloudflare-kv");
    expect(storageStatus(env(true), manifest)).toMatchObject({
      sessions: "workers-kv",
      rateLimit: "d1",
    });
  });

  it("without defineStorage, a stray AUTH_KV binding is not used: D1 holds sessions and counters", () => {
    const manifest = manifestFor(false);
    expect(manifest.storage).toBeUndefined();
    expect(storageStatus(env(true), manifest)).toMatchObject({ sessions: "d1", rateLimit: "d1" });
  });

  it("a manifest with KV but no binding falls back to D1 rather than failing", () => {
    expect(storageStatus(env(false), manifestFor(true))).toMatchObject({ sessions: "d1", rateLimit: "d1" });
  });
});
