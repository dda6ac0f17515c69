/**
 * Which plugins send email is written once (src/contract/plugins.ts) and read by the plan and the
 * Worker: a stack whose only mailing plugin is organization (invitations) gets the plan's EMAIL_FROM
 * note and an "EMAIL_FROM" in /api/v1/system/status, like emailOtp and magicLink do.
 */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse.ts";
import { PLUGIN_NAMES, PLUGINS, type PluginName } from "../../src/contract/plugins.ts";
import { defineAuth, defineConfig } from "../../src/index.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";
import type { WorkerEnv } from "../../worker/env.ts";
import { systemRoutes } from "../../worker/routes/system.ts";
import type { PluginModule, WorkerSpec } from "../../worker/spec.ts";
import { pluginsOn } from "../support/plugins-on.ts";

const API = "https://api.example.com";

/** A deploy with Cloudflare Email Sending and no EMAIL_FROM; passkey is the way in, so no password emails. */
function planWith(plugin: PluginName) {
  const config = parseConfig(
    defineConfig({
      name: "mail-app",
      providers: {
        auth: defineAuth("better-auth", { plugins: pluginsOn(["passkey", plugin]) }),
      },
    }),
  );
  return planDeployment({
    config,
    env: { BETTER_AUTH_URL: API, ACCOUNT_URL: API, ALCHEMY_PASSWORD: "x" },
    stage: "s",
    mode: "deploy",
  });
}

async function readinessOf(plan: ReturnType<typeof planWith>, name: PluginName): Promise<string[]> {
  const module: PluginModule = { betterAuth: () => [] };
  const spec: WorkerSpec = {
    manifest: plan.manifest,
    plugins: Object.fromEntries(plan.plugins.map((p) => [p, module])),
  };
  const env = {
    DB: {} as D1Database,
    BETTER_AUTH_SECRET: "a-secret-long-enough-for-the-readiness-check-0123",
    BETTER_AUTH_URL: API,
    ACCOUNT_URL: API,
    APP_URL: API,
    APP_NAME: "Mail App",
    AUTHFORM_STAGE: "s",
    AUTHFORM_MODE: "deploy",
    EMAIL: { send: async () => ({ messageId: "m" }) } as unknown as SendEmail,
  } satisfies WorkerEnv;
  const res = await systemRoutes(spec).request("/status", {}, env);
  const body = (await res.json()) as { readiness: Record<string, { missing: string[] }> };
  return body.readiness[name]?.missing ?? [];
}

const EMAIL_FROM_NOTE = /EMAIL_FROM is not set/;

describe("the plugins that send email, as the plan and the Worker see them", () => {
  it("organization sends invitations: the plan notes the missing sender and status names EMAIL_FROM", async () => {
    const plan = planWith("organization");
    expect(plan.notes.some((n) => EMAIL_FROM_NOTE.test(n))).toBe(true);
    expect(await readinessOf(plan, "organization")).toContain("EMAIL_FROM");
  });

  // Plugins that need passwords (upgradeAnonymous, twoFactor) are left out: password accounts mail on their own.
  const needsPasswords = (n: PluginName) => PLUGINS[n].needsPasswordSignUp || PLUGINS[n].needsPasswordSignIn;
  for (const name of PLUGIN_NAMES.filter((n) => n !== "passkey" && !needsPasswords(n))) {
    const sends = PLUGINS[name].sendsEmail === true;
    it(`${name} ${sends ? "sends" : "does not send"} email in the plan and in system status alike`, async () => {
      const plan = planWith(name);
      expect(plan.notes.some((n) => EMAIL_FROM_NOTE.test(n))).toBe(sends);
      expect((await readinessOf(plan, name)).includes("EMAIL_FROM")).toBe(sends);
    });
  }
});
