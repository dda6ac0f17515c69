/**
 * `reference: false` on the production stage of a deploy plan, run on workerd (Miniflare): the
 * reference's paths are 404 like any unknown path, and the rest of the API still answers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.ts";
import { defineAuth, defineConfig, defineRuntime } from "../../src/index.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";
import { type PlannedWorker, runPlannedWorker } from "../support/run-planned-worker.ts";

const API = "https://api.example.test";
let worker: PlannedWorker;

beforeAll(async () => {
  const config = parseConfig(
    defineConfig({
      name: "reference-off",
      providers: {
        runtime: defineRuntime("cloudflare", { domains: { api: "api.example.test", zone: "example.test" } }),
        auth: defineAuth("better-auth", {
          emailAndPassword: { enabled: true },
          plugins: ["passkey"],
          reference: false,
        }),
      },
    }),
  );
  const plan = planDeployment({
    config,
    env: { ALCHEMY_PASSWORD: "x" },
    stage: "production",
    mode: "deploy",
  });
  expect(plan.production).toBe(true);
  worker = await runPlannedWorker(plan, { BETTER_AUTH_SECRET: "reference-off-test-secret-0123456789abcdef" });
}, 120_000);

afterAll(async () => {
  await worker?.dispose();
});

describe("a config with reference: false", () => {
  it("serves no reference: both paths are JSON 404s", async () => {
    for (const path of ["/auth/v1/reference", "/auth/v1/reference/openapi.json"]) {
      const res = await worker.fetch(`${API}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toContain("application/json");
      expect(((await res.json()) as { error: string }).error, path).toBe("not_found");
    }
  });

  it("still serves the API the reference would describe", async () => {
    const res = await worker.fetch(`${API}/api/v1/system/status`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { plugins: string[] }).plugins).toEqual(["passkey"]);
  });
});
