/** diffPlan: the changes `--plan` lists, from a plan and the Worker's recorded state. */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse.ts";
import { defineAuth, defineConfig } from "../../src/index.ts";
import { planDeployment, withOutboxUrl } from "../../src/plan/plan-deployment.ts";
import { type DeployedWorker, diffPlan, formatPlanDiff } from "../../src/plan/plan-diff.ts";

const config = parseConfig(
  defineConfig({
    name: "diff-app",
    providers: { auth: defineAuth("better-auth", { emailAndPassword: { enabled: true }, plugins: ["jwt"] }) },
  }),
);
const plan = withOutboxUrl(
  planDeployment({ config, env: {}, stage: "dev", mode: "local", port: 1400 }),
  "http://127.0.0.1:9/a",
);

/** The state a run of exactly this plan leaves, with a generated secret. */
function deployedAsPlanned(): DeployedWorker {
  return {
    vars: { ...plan.vars },
    secrets: { BETTER_AUTH_SECRET: "generated-value" },
    bindings: { ...plan.bindings },
    build: "abc",
    plugins: ["emailAndPassword", "jwt"],
  };
}

describe("diffPlan", () => {
  it("finds nothing when the state is what the plan would deploy; a generated secret keeps its value", () => {
    expect(diffPlan(plan, deployedAsPlanned(), { build: "abc", envSecrets: {} })).toEqual([]);
    expect(formatPlanDiff("dev", [])).toContain("None: stage dev already runs this config.");
  });

  it("ignores the outbox address a local run assigns afresh each time", () => {
    const deployed = deployedAsPlanned();
    deployed.vars.AUTHFORM_OUTBOX_URL = "http://127.0.0.1:1/other-run";
    expect(diffPlan(plan, deployed, { build: "abc", envSecrets: {} })).toEqual([]);
  });

  it("lists removed plugins, secrets and bindings, and a new build", () => {
    const deployed = deployedAsPlanned();
    deployed.plugins?.push("passkey");
    deployed.secrets.AWS_SECRET_ACCESS_KEY = "old";
    deployed.bindings.KV = "kv_namespace";
    const changes = diffPlan(plan, deployed, { build: "def", envSecrets: {} });
    expect(changes).toEqual([
      { target: "secret", name: "AWS_SECRET_ACCESS_KEY", change: "remove" },
      { target: "binding", name: "KV", change: "remove", from: "kv_namespace" },
      { target: "plugin", name: "passkey", change: "remove" },
      { target: "code", name: "Worker script", change: "change" },
    ]);
    const text = formatPlanDiff("dev", changes);
    expect(text).toContain("- secret   AWS_SECRET_ACCESS_KEY  removed; values never shown");
    expect(text).not.toContain("old");
  });

  it("says a first deploy creates everything", () => {
    expect(formatPlanDiff("dev", "first-deploy")).toContain("First deploy of stage dev");
  });
});
