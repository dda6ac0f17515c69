/** runtime.domains.mount: "routes" → the production stage's Worker route patterns, its validation, and what --plan shows. */
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/index.ts";
import type { RuntimeOptionsInput } from "../../src/config/types.ts";
import { defineAuth, defineConfig, defineRuntime } from "../../src/index.ts";
import { formatPlan } from "../../src/plan/format-plan.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";

const ROUTES = {
  api: "api.example.com",
  account: "account.example.com",
  zone: "example.com",
  mount: "routes",
} as const;

function config(runtime: RuntimeOptionsInput, plugins: string[] = []) {
  return parseConfig(
    defineConfig({
      name: "shop",
      providers: {
        runtime: defineRuntime("cloudflare", runtime),
        auth: defineAuth("better-auth", { emailAndPassword: { enabled: true }, plugins: plugins as never }),
      },
    }),
  );
}

function plan(
  runtime: RuntimeOptionsInput,
  {
    plugins = [],
    stage = "production",
    env = {},
  }: { plugins?: string[]; stage?: string; env?: Record<string, string> } = {},
) {
  return planDeployment({
    config: config(runtime, plugins),
    env: { ALCHEMY_PASSWORD: "pw", ...env },
    stage,
    mode: "deploy",
  });
}

function problems(runtime: unknown): string {
  try {
    config(runtime as RuntimeOptionsInput);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("config was accepted");
}

describe("the production stage in routes mode", () => {
  it("routes /auth/v1 and /api/v1 on the API hostname, and binds only the Account hostname as a custom domain", () => {
    const p = plan({ domains: ROUTES });
    expect(p.workerRoutes).toEqual([
      { pattern: "api.example.com/auth/v1/*", zone: "example.com" },
      { pattern: "api.example.com/api/v1/*", zone: "example.com" },
    ]);
    expect(p.customDomains).toEqual([{ hostname: "account.example.com", zone: "example.com" }]);
  });

  it("adds the root discovery documents when oauthProvider is on (and only then)", () => {
    const p = plan({ domains: ROUTES }, { plugins: ["oauthProvider"] });
    expect(p.workerRoutes.map((r) => r.pattern)).toEqual([
      "api.example.com/auth/v1/*",
      "api.example.com/api/v1/*",
      "api.example.com/.well-known/oauth-authorization-server*",
      "api.example.com/.well-known/oauth-protected-resource*",
      "api.example.com/.well-known/openid-configuration*",
    ]);
    // Other plugins serve everything under /auth/v1: no extra route.
    const others = plan({ domains: ROUTES }, { plugins: ["passkey", "jwt", "organization", "magicLink"] });
    expect(others.workerRoutes.map((r) => r.pattern)).toEqual([
      "api.example.com/auth/v1/*",
      "api.example.com/api/v1/*",
    ]);
  });

  it("keeps BETTER_AUTH_URL on the API hostname and the Account SPA on its own host", () => {
    const p = plan({ domains: ROUTES });
    expect(p.vars.BETTER_AUTH_URL).toBe("https://api.example.com");
    expect(p.vars.ACCOUNT_URL).toBe("https://account.example.com");
    expect(p.vars.AUTHFORM_COOKIE_DOMAIN).toBe("example.com");
  });

  it("tells the person the hostname must already be proxied through Cloudflare", () => {
    expect(plan({ domains: ROUTES }).notes).toContain(
      "api.example.com is mounted with Worker routes: its DNS record must already exist and be proxied through Cloudflare (routes never run on DNS-only records); authform does not create it.",
    );
  });

  it("shows the routes and the remaining custom domain in --plan", () => {
    const text = formatPlan(plan({ domains: ROUTES }));
    expect(text).toContain(
      "  Route         api.example.com/auth/v1/*  (Worker route → the Worker, zone example.com)",
    );
    expect(text).toContain(
      "  Route         api.example.com/api/v1/*  (Worker route → the Worker, zone example.com)",
    );
    expect(text).toContain(
      "  Domain        account.example.com  (custom domain → the Worker, zone example.com)",
    );
    expect(text).not.toContain("Domain        api.example.com");
  });

  it("follows a renamed API hostname", () => {
    const p = plan({ domains: { ...ROUTES, api: "www.example.com" } });
    expect(p.workerRoutes.map((r) => r.pattern)).toEqual([
      "www.example.com/auth/v1/*",
      "www.example.com/api/v1/*",
    ]);
    expect(p.vars.BETTER_AUTH_URL).toBe("https://www.example.com");
  });
});

describe("other stages and modes", () => {
  it("custom-domain mode (the default, or named) plans no routes", () => {
    for (const mount of [undefined, "custom-domain"] as const) {
      const p = plan({ domains: { ...ROUTES, mount } });
      expect(p.workerRoutes).toEqual([]);
      expect(p.customDomains.map((d) => d.hostname)).toEqual(["api.example.com", "account.example.com"]);
    }
  });

  it("a preview gets no routes and no custom domain: it serves on workers.dev", () => {
    const p = plan(
      { domains: ROUTES, productionStages: ["production"] },
      { stage: "pr-7", env: { CLOUDFLARE_WORKERS_SUBDOMAIN: "acme" } },
    );
    expect(p.workerRoutes).toEqual([]);
    expect(p.customDomains).toEqual([]);
    expect(p.vars.BETTER_AUTH_URL).toBe("https://shop-pr-7.acme.workers.dev");
    expect(formatPlan(p)).not.toContain("Route ");
  });

  it("local mode is unchanged: one local origin, no routes", () => {
    const p = planDeployment({
      config: config({ domains: ROUTES }),
      env: {},
      stage: "dev",
      mode: "local",
      port: 1337,
    });
    expect(p.workerRoutes).toEqual([]);
    expect(p.vars.BETTER_AUTH_URL).toBe("http://localhost:1337");
  });
});

describe("validation", () => {
  it("keeps mount in the resolved config only in routes mode", () => {
    expect(config({ domains: ROUTES }).runtime.domains).toEqual(ROUTES);
    expect(config({ domains: { ...ROUTES, mount: "custom-domain" } }).runtime.domains).toEqual({
      api: "api.example.com",
      account: "account.example.com",
      zone: "example.com",
    });
  });

  it("routes mode needs the zone", () => {
    const { zone: _, ...noZone } = ROUTES;
    expect(problems({ domains: noZone })).toContain(
      'providers.runtime.domains.zone: mount: "routes" needs the zone: Worker routes are created in a Cloudflare zone',
    );
  });

  it("routes mode needs an Account hostname of its own", () => {
    const { account: _, ...noAccount } = ROUTES;
    const message = problems({ domains: noAccount });
    expect(message).toContain(
      'providers.runtime.domains.account: mount: "routes" mounts only authform\'s API paths on api.example.com; the Account SPA',
    );
    expect(message).toContain('set account to another hostname (e.g. "account.example.com")');
    expect(problems({ domains: { ...ROUTES, account: "api.example.com" } })).toContain(
      "the Account SPA (/login, /consent, /account, /accept-invitation, /reset-password, /assets/*) needs a hostname of its own",
    );
  });

  it("routes mode needs the api hostname", () => {
    const { api: _, ...noApi } = ROUTES;
    expect(problems({ domains: noApi })).toContain("providers.runtime.domains.api: is required");
  });

  it("reports every problem at once", () => {
    const message = problems({ domains: { api: "api.example.com", mount: "routes" } });
    expect(message).toContain("domains.zone:");
    expect(message).toContain("domains.account:");
  });

  it("refuses hostnames that are patterns, URLs or outside the zone", () => {
    expect(problems({ domains: { ...ROUTES, api: "api.example.com/auth/*" } })).toContain(
      'domains.api: expected a hostname like "api.example.com", got "api.example.com/auth/*"',
    );
    expect(problems({ domains: { ...ROUTES, api: "*.example.com" } })).toContain(
      'domains.api: expected a hostname like "api.example.com"',
    );
    expect(problems({ domains: { ...ROUTES, api: "https://api.example.com" } })).toContain(
      'write the hostname only: "api.example.com"',
    );
    expect(problems({ domains: { ...ROUTES, api: "api.example.org" } })).toContain(
      'domains.api: "api.example.org" is not in the zone "example.com"',
    );
  });

  it("refuses an unknown mount", () => {
    expect(problems({ domains: { ...ROUTES, mount: "paths" } })).toContain("domains.mount");
  });
});
