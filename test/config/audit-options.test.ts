import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/errors.ts";
import { parseConfig } from "../../src/config/parse.ts";
import { defineAuth, defineConfig } from "../../src/index.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";

const withAudit = (audit: unknown) =>
  defineConfig({
    name: "app",
    providers: {
      auth: defineAuth("better-auth", { emailAndPassword: { enabled: true }, audit: audit as never }),
    },
  });

function problems(audit: unknown): string {
  try {
    parseConfig(withAudit(audit));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("config was accepted");
}

describe("auth.audit (the audit log)", () => {
  it("keeps events 90 days when the config does not say", () => {
    expect(parseConfig(withAudit(undefined)).auth.audit).toEqual({ retentionDays: 90 });
    expect(parseConfig(withAudit({})).auth.audit).toEqual({ retentionDays: 90 });
  });

  it("takes the config's retention and tells the Worker through the manifest", () => {
    const config = parseConfig(withAudit({ retentionDays: 30 }));
    expect(config.auth.audit).toEqual({ retentionDays: 30 });
    const plan = planDeployment({ config, env: {}, stage: "dev", mode: "local", port: 1337 });
    expect(plan.manifest.audit).toEqual({ retentionDays: 30 });
  });

  it.each([
    [{ retentionDays: 0 }, "providers.auth.audit.retentionDays", "expected at least 1 day, got 0"],
    [
      { retentionDays: 1.5 },
      "providers.auth.audit.retentionDays",
      "expected a whole number of days, got 1.5",
    ],
    [
      { retentionDays: "90" },
      "providers.auth.audit.retentionDays",
      'expected a whole number of days, got "90"',
    ],
    [
      { retentionDays: 5000 },
      "providers.auth.audit.retentionDays",
      "expected at most 3650 days (ten years), got 5000",
    ],
    [{ retentionDays: 30, keep: true }, "providers.auth.audit", 'unknown key "keep"'],
  ])("refuses %j, naming the path and what arrived", (audit, path, message) => {
    const text = problems(audit);
    expect(text).toContain(path);
    expect(text).toContain(message);
  });
});
