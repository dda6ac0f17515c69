/** runtime.productionStages: which stages keep their D1 database on --destroy. */
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/index.ts";
import { defineAuth, defineConfig, defineRuntime } from "../../src/index.ts";
import { formatPlan } from "../../src/plan/format-plan.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";

const withRuntime = (options: unknown) =>
  defineConfig({
    name: "app",
    providers: {
      runtime: defineRuntime("cloudflare", options as never),
      auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }),
    },
  });

function problems(options: unknown): string {
  try {
    parseConfig(withRuntime(options));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("config was accepted");
}

const deployEnv = { BETTER_AUTH_URL: "https://api.example.com", ALCHEMY_PASSWORD: "pw" };

describe("runtime.productionStages", () => {
  it('defaults to ["production"] when the config names none', () => {
    expect(parseConfig(withRuntime({})).runtime.productionStages).toEqual(["production"]);
    const noRuntime = defineConfig({
      name: "app",
      providers: { auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }) },
    });
    expect(parseConfig(noRuntime).runtime.productionStages).toEqual(["production"]);
  });

  it("takes the config's list instead of the default", () => {
    expect(
      parseConfig(withRuntime({ productionStages: ["prod", "eu-prod"] })).runtime.productionStages,
    ).toEqual(["prod", "eu-prod"]);
    // An empty list marks no stage production: every --destroy deletes the database.
    expect(parseConfig(withRuntime({ productionStages: [] })).runtime.productionStages).toEqual([]);
  });

  it("refuses names --stage would refuse, saying which entry", () => {
    const message = problems({ productionStages: ["prod", "Prod_EU"] });
    expect(message).toContain("providers.runtime.productionStages[1]");
    expect(message).toContain('got "Prod_EU"');
  });

  it("refuses a single string where a list belongs", () => {
    expect(problems({ productionStages: "prod" })).toContain("providers.runtime.productionStages");
  });

  it("marks the plan of a listed stage, and --plan says what that means", () => {
    const config = parseConfig(withRuntime({ productionStages: ["prod"] }));
    const prod = planDeployment({ config, env: deployEnv, stage: "prod", mode: "deploy" });
    const preview = planDeployment({ config, env: deployEnv, stage: "pr-12", mode: "deploy" });
    expect([prod.production, preview.production]).toEqual([true, false]);
    expect(formatPlan(prod)).toContain(
      "Production    yes: --destroy keeps the D1 database and generated secrets unless --force",
    );
    expect(formatPlan(preview)).not.toContain("Production");
  });
});
