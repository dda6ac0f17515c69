/** runtime.trustedOrigins → the plan: added to the stack's own origins in every mode, into AUTHFORM_TRUSTED_ORIGINS and --plan. */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.ts";
import type { RuntimeOptionsInput } from "../../src/config/types.ts";
import { defineAuth, defineConfig, defineDatabase, defineRuntime } from "../../src/index.ts";
import { formatPlan } from "../../src/plan/format-plan.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";

const EXTRA = ["https://app2.example.com", "http://localhost:5173"];
const DOMAINS = { api: "api.example.com", account: "account.example.com", zone: "example.com" };

function config(runtime: RuntimeOptionsInput, vars: Record<string, string> = {}) {
  return parseConfig(
    defineConfig({
      name: "shop",
      providers: {
        runtime: defineRuntime("cloudflare", runtime),
        database: defineDatabase("cloudflare-d1", { vars }),
        auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }),
      },
    }),
  );
}

function deploy(runtime: RuntimeOptionsInput, stage = "production", env: Record<string, string> = {}) {
  return planDeployment({
    config: config(runtime),
    env: { ALCHEMY_PASSWORD: "pw", ...env },
    stage,
    mode: "deploy",
  });
}

describe("extra trusted origins in the plan", () => {
  it("follow the stack's own origins on the production stage, into AUTHFORM_TRUSTED_ORIGINS", () => {
    const plan = deploy({ domains: DOMAINS, trustedOrigins: EXTRA });
    const trusted = ["https://api.example.com", "https://account.example.com", ...EXTRA];
    expect(plan.origins.trusted).toEqual(trusted);
    expect(plan.vars.AUTHFORM_TRUSTED_ORIGINS).toBe(trusted.join(","));
  });

  it("are kept in local mode beside the local URL: a Vite dev server on another port can call the stack", () => {
    const plan = planDeployment({
      config: config({ domains: DOMAINS, trustedOrigins: EXTRA }),
      env: {},
      stage: "alice",
      mode: "local",
      port: 1500,
    });
    expect(plan.origins.trusted).toEqual(["http://localhost:1500", ...EXTRA]);
    expect(plan.vars.AUTHFORM_TRUSTED_ORIGINS).toBe(`http://localhost:1500,${EXTRA.join(",")}`);
    // The cookie and RP ID stay local mode's: extra origins are callers, not hosts of the stack.
    expect(plan.origins.rpId).toBe("localhost");
    expect(plan.origins.cookieDomain).toBeUndefined();
  });

  it("are kept on a preview, which otherwise trusts only its workers.dev URL", () => {
    const plan = deploy({ domains: DOMAINS, trustedOrigins: EXTRA }, "pr-7", {
      CLOUDFLARE_WORKERS_SUBDOMAIN: "acme",
    });
    expect(plan.origins.trusted).toEqual(["https://shop-pr-7.acme.workers.dev", ...EXTRA]);
    expect(plan.notes.join("\n")).not.toContain("runtime.trustedOrigins");
  });

  it("are kept without domains, where the URLs come from the vars", () => {
    const plan = planDeployment({
      config: config(
        { trustedOrigins: ["https://marketing.example.org"] },
        { BETTER_AUTH_URL: "https://auth.example.com" },
      ),
      env: { ALCHEMY_PASSWORD: "pw" },
      stage: "staging",
      mode: "deploy",
    });
    expect(plan.origins.trusted).toEqual(["https://auth.example.com", "https://marketing.example.org"]);
  });

  it("do not repeat an origin the stack already trusts", () => {
    const plan = deploy({
      domains: DOMAINS,
      trustedOrigins: ["https://ACCOUNT.example.com:443/", "https://app2.example.com"],
    });
    expect(plan.origins.trusted).toEqual([
      "https://api.example.com",
      "https://account.example.com",
      "https://app2.example.com",
    ]);
    const local = planDeployment({
      config: config({ trustedOrigins: ["http://localhost:1500"] }),
      env: {},
      stage: "alice",
      mode: "local",
      port: 1500,
    });
    expect(local.origins.trusted).toEqual(["http://localhost:1500"]);
  });

  it("leave the cookie domain and passkey RP ID to the stack's own hosts", () => {
    const without = deploy({ domains: DOMAINS });
    const withExtra = deploy({ domains: DOMAINS, trustedOrigins: ["https://app.other-site.net"] });
    expect(withExtra.origins.cookieDomain).toBe(without.origins.cookieDomain);
    expect(withExtra.origins.rpId).toBe(without.origins.rpId);
  });

  it("warn when a production stage trusts a plain-http loopback origin", () => {
    const plan = deploy({ domains: DOMAINS, trustedOrigins: EXTRA });
    expect(plan.notes).toContain(
      "runtime.trustedOrigins trusts http://localhost:5173 on production stage production: any page served there on a user's machine can call the API with their session.",
    );
    expect(
      deploy({ domains: DOMAINS, trustedOrigins: ["https://app2.example.com"] }).notes.join("\n"),
    ).not.toContain("runtime.trustedOrigins");
  });

  it("show in --plan, in AUTHFORM_TRUSTED_ORIGINS", () => {
    const text = formatPlan(deploy({ domains: DOMAINS, trustedOrigins: EXTRA }));
    expect(text).toMatch(
      /\n {2}AUTHFORM_TRUSTED_ORIGINS +https:\/\/api\.example\.com,https:\/\/account\.example\.com,https:\/\/app2\.example\.com,http:\/\/localhost:5173\n/,
    );
  });
});
