/** auth.reference: the OpenAPI reference is on unless the config says false, for every stage alike. */
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/errors.ts";
import { parseConfig } from "../../src/config/parse.ts";
import { defineAuth, defineConfig } from "../../src/index.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";

const withReference = (reference: unknown) =>
  defineConfig({
    name: "app",
    providers: {
      auth: defineAuth("better-auth", { emailAndPassword: { enabled: true }, reference: reference as never }),
    },
  });

const planFor = (reference: unknown, stage: string) =>
  planDeployment({
    config: parseConfig(withReference(reference)),
    env: { ALCHEMY_PASSWORD: "x", BETTER_AUTH_URL: "https://api.example.com" },
    stage,
    mode: "deploy",
  });

describe("auth.reference (the OpenAPI reference)", () => {
  it("is on when the config does not say, production included, with the manifest unchanged", () => {
    expect(parseConfig(withReference(undefined)).auth.reference).toBe(true);
    for (const stage of ["production", "pr-7"]) {
      const plan = planFor(undefined, stage);
      expect(plan.production).toBe(stage === "production");
      expect(plan.manifest).not.toHaveProperty("reference");
    }
  });

  it("false tells the Worker through the manifest, on every stage", () => {
    expect(parseConfig(withReference(false)).auth.reference).toBe(false);
    for (const stage of ["production", "pr-7"]) expect(planFor(false, stage).manifest.reference).toBe(false);
  });

  it("refuses anything but true or false, naming the path and what arrived", () => {
    try {
      parseConfig(withReference("yes"));
      throw new Error("config was accepted");
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain("providers.auth.reference");
      expect((err as Error).message).toContain('expected true or false, got "yes"');
    }
  });
});
