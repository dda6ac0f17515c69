/** runtime.domains → a stage's URLs, custom domains, trusted origins, cookie domain and passkey RP ID. */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.ts";
import type { RuntimeOptionsInput } from "../../src/config/types.ts";
import { defineAuth, defineConfig, defineDatabase, defineRuntime } from "../../src/index.ts";
import { domainMatches, isPublicSuffix, registrableDomain } from "../../src/plan/domains.ts";
import { MissingEnvError, UrlPlanError } from "../../src/plan/errors.ts";
import { formatPlan } from "../../src/plan/format-plan.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";

const DOMAINS = { api: "api.example.com", account: "account.example.com", zone: "example.com" };
const DEPLOY_ENV = { ALCHEMY_PASSWORD: "pw" };

function config(runtime: RuntimeOptionsInput, vars: Record<string, string> = {}, plugins = ["passkey"]) {
  return parseConfig(
    defineConfig({
      name: "shop",
      providers: {
        runtime: defineRuntime("cloudflare", runtime),
        database: defineDatabase("cloudflare-d1", { vars }),
        auth: defineAuth("better-auth", { plugins: plugins as never }),
      },
    }),
  );
}

function deployPlan(
  runtime: RuntimeOptionsInput,
  {
    stage = "production",
    env = {},
    vars = {},
  }: { stage?: string; env?: Record<string, string>; vars?: Record<string, string> } = {},
) {
  return planDeployment({
    config: config(runtime, vars),
    env: { ...DEPLOY_ENV, ...env },
    stage,
    mode: "deploy",
  });
}

function planError(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UrlPlanError);
    return (err as Error).message;
  }
  throw new Error("the plan was accepted");
}

describe("the production stage of a config with domains", () => {
  const plan = deployPlan({ domains: DOMAINS });

  it("derives BETTER_AUTH_URL, ACCOUNT_URL and APP_URL from the domains (no env needed)", () => {
    expect(plan.urls).toEqual({
      api: "https://api.example.com",
      account: "https://account.example.com",
      app: "https://account.example.com",
    });
    expect(plan.vars).toMatchObject({
      BETTER_AUTH_URL: "https://api.example.com",
      ACCOUNT_URL: "https://account.example.com",
      APP_URL: "https://account.example.com",
    });
  });

  it("binds both hostnames to the Worker in the configured zone", () => {
    expect(plan.customDomains).toEqual([
      { hostname: "api.example.com", zone: "example.com" },
      { hostname: "account.example.com", zone: "example.com" },
    ]);
  });

  it("trusts exactly the stack's origins, plus APP_URL when it is elsewhere", () => {
    expect(plan.origins.trusted).toEqual(["https://api.example.com", "https://account.example.com"]);
    expect(plan.vars.AUTHFORM_TRUSTED_ORIGINS).toBe("https://api.example.com,https://account.example.com");
    const withApp = deployPlan(
      { domains: DOMAINS },
      { env: { APP_URL: "https://app.example.com/dashboard" } },
    );
    expect(withApp.origins.trusted).toEqual([
      "https://api.example.com",
      "https://account.example.com",
      "https://app.example.com",
    ]);
  });

  it("scopes the session cookie and the passkey RP ID to the registrable domain the hosts share", () => {
    expect(plan.origins.cookieDomain).toBe("example.com");
    expect(plan.vars.AUTHFORM_COOKIE_DOMAIN).toBe("example.com");
    expect(plan.origins.rpId).toBe("example.com");
    expect(plan.vars.AUTHFORM_RP_ID).toBe("example.com");
  });

  it("uses the registrable domain under a multi-label public suffix, never the suffix", () => {
    const uk = deployPlan({ domains: { api: "api.shop.co.uk", account: "account.shop.co.uk" } });
    expect(uk.origins.cookieDomain).toBe("shop.co.uk");
    expect(uk.origins.rpId).toBe("shop.co.uk");
    expect(uk.customDomains).toEqual([{ hostname: "api.shop.co.uk" }, { hostname: "account.shop.co.uk" }]);
  });

  it("takes the registrable domain from the full list, where a short list made it a public suffix", () => {
    // org.es was not in the built-in list: the guess was "org.es", which browsers refuse.
    const es = deployPlan({ domains: { api: "api.shop.org.es", account: "account.shop.org.es" } });
    expect(es.origins.cookieDomain).toBe("shop.org.es");
    expect(es.vars.AUTHFORM_RP_ID).toBe("shop.org.es");
  });

  it("shares no cookie across a platform's customers (the PSL's private section)", () => {
    const plan = deployPlan({ domains: { api: "api.alice.github.io", account: "bob.github.io" } });
    expect(plan.origins.cookieDomain).toBeUndefined();
    expect(plan.notes.join("\n")).toContain("are on different sites");
    expect(
      planError(() => deployPlan({ domains: { api: "shop.workers.dev" }, cookieDomain: "workers.dev" })),
    ).toContain('runtime.cookieDomain "workers.dev" is a public suffix');
  });

  it("keeps cookies host-only when one hostname serves both", () => {
    const one = deployPlan({ domains: { api: "auth.example.com" } });
    expect(one.urls.account).toBe("https://auth.example.com");
    expect(one.customDomains).toEqual([{ hostname: "auth.example.com" }]);
    expect(one.origins.cookieDomain).toBeUndefined();
    expect(one.vars).not.toHaveProperty("AUTHFORM_COOKIE_DOMAIN");
    expect(one.origins.rpId).toBe("auth.example.com");
  });

  it("takes cookieDomain over the computed domain, and refuses one that is a public suffix or misses a host", () => {
    const narrow = deployPlan({
      domains: { api: "api.id.example.com", account: "account.id.example.com" },
      cookieDomain: "id.example.com",
    });
    expect(narrow.origins.cookieDomain).toBe("id.example.com");
    expect(narrow.origins.rpId).toBe("id.example.com");

    expect(
      planError(() =>
        deployPlan({
          domains: { api: "api.shop.co.uk", account: "account.shop.co.uk" },
          cookieDomain: "co.uk",
        }),
      ),
    ).toContain('runtime.cookieDomain "co.uk" is a public suffix');
    expect(planError(() => deployPlan({ domains: DOMAINS, cookieDomain: "account.example.com" }))).toContain(
      'runtime.cookieDomain "account.example.com" does not cover api.example.com',
    );
  });

  it("accepts an explicit var that agrees with the domains", () => {
    const agreeing = deployPlan(
      { domains: DOMAINS },
      { vars: { BETTER_AUTH_URL: "https://api.example.com/" } },
    );
    expect(agreeing.vars.BETTER_AUTH_URL).toBe("https://api.example.com");
  });

  it("refuses an explicit BETTER_AUTH_URL or ACCOUNT_URL that contradicts the domains, naming both values", () => {
    const message = planError(() =>
      deployPlan(
        { domains: DOMAINS },
        {
          vars: { BETTER_AUTH_URL: "https://api.other.com" },
          env: { ACCOUNT_URL: "https://login.example.com" },
        },
      ),
    );
    expect(message).toContain(
      "BETTER_AUTH_URL is https://api.other.com (from the config's vars), but runtime.domains.api makes it https://api.example.com.",
    );
    expect(message).toContain(
      "ACCOUNT_URL is https://login.example.com (from the environment), but runtime.domains.account makes it https://account.example.com.",
    );
  });

  it("shows the custom domains and the cross-origin settings in --plan", () => {
    const text = formatPlan(plan);
    expect(text).toContain("  Domain        api.example.com  (custom domain → the Worker, zone example.com)");
    expect(text).toContain(
      "  Domain        account.example.com  (custom domain → the Worker, zone example.com)",
    );
    expect(text).toContain("AUTHFORM_COOKIE_DOMAIN");
    expect(text).toContain("https://api.example.com,https://account.example.com");
  });
});

describe("a preview stage of a config with domains", () => {
  const seedVars = { BETTER_AUTH_URL: "https://api.example.com", APP_URL: "https://account.example.com" };

  it("serves on its own workers.dev URL, which flows into every URL var, and binds no domain", () => {
    const plan = deployPlan(
      { domains: DOMAINS },
      { stage: "pr-7", env: { CLOUDFLARE_WORKERS_SUBDOMAIN: "acme" }, vars: seedVars },
    );
    const url = "https://shop-pr-7.acme.workers.dev";
    expect(plan.urls).toEqual({ api: url, account: url, app: url });
    expect(plan.vars).toMatchObject({ BETTER_AUTH_URL: url, ACCOUNT_URL: url, APP_URL: url });
    expect(plan.customDomains).toEqual([]);
    expect(plan.origins).toEqual({ trusted: [url], rpId: "shop-pr-7.acme.workers.dev" });
    expect(plan.vars).not.toHaveProperty("AUTHFORM_COOKIE_DOMAIN");
    expect(plan.notes.join("\n")).toContain(
      "BETTER_AUTH_URL is https://api.example.com in the config; preview stage pr-7 uses its own URLs.",
    );
  });

  it("takes its URL from BETTER_AUTH_URL in the environment when the subdomain is not given", () => {
    const url = "https://shop-pr-8.acme.workers.dev";
    const plan = deployPlan({ domains: DOMAINS }, { stage: "pr-8", env: { BETTER_AUTH_URL: url } });
    expect(plan.urls.api).toBe(url);
  });

  it("says what is missing when it cannot know its URL", () => {
    expect(() => deployPlan({ domains: DOMAINS }, { stage: "pr-9" })).toThrow(MissingEnvError);
    expect(() => deployPlan({ domains: DOMAINS }, { stage: "pr-9" })).toThrow(
      /CLOUDFLARE_WORKERS_SUBDOMAIN: stage pr-9 is a preview/,
    );
  });

  it("refuses a production URL, so it never sends users or emails to production", () => {
    const message = planError(() =>
      deployPlan(
        { domains: DOMAINS },
        { stage: "pr-10", env: { BETTER_AUTH_URL: "https://api.example.com" } },
      ),
    );
    expect(message).toContain(
      "BETTER_AUTH_URL is https://api.example.com, a production domain, but stage pr-10 is a preview",
    );
  });

  it("refuses a BETTER_AUTH_URL that is not its workers.dev URL", () => {
    const message = planError(() =>
      deployPlan(
        { domains: DOMAINS },
        {
          stage: "pr-11",
          env: { CLOUDFLARE_WORKERS_SUBDOMAIN: "acme", BETTER_AUTH_URL: "https://elsewhere.example.net" },
        },
      ),
    );
    expect(message).toContain("but preview stage pr-11 serves on https://shop-pr-11.acme.workers.dev");
  });
});

describe("without domains", () => {
  it("local mode keeps one origin and host-only cookies, whatever the config says", () => {
    const plan = planDeployment({
      config: config({ domains: DOMAINS }),
      env: {},
      stage: "alice",
      mode: "local",
      port: 1500,
    });
    const local = "http://localhost:1500";
    expect(plan.urls).toEqual({ api: local, account: local, app: local });
    expect(plan.customDomains).toEqual([]);
    expect(plan.origins).toEqual({ trusted: [local], rpId: "localhost" });
    expect(plan.notes).toContain(
      `runtime.domains apply to deploys; local mode serves everything at ${local}.`,
    );
  });

  it("derives the cookie domain from explicit API and Account URLs on one site", () => {
    const plan = planDeployment({
      config: config(
        {},
        { BETTER_AUTH_URL: "https://api.example.com", ACCOUNT_URL: "https://account.example.com" },
      ),
      env: DEPLOY_ENV,
      stage: "staging",
      mode: "deploy",
    });
    expect(plan.origins.cookieDomain).toBe("example.com");
    expect(plan.customDomains).toEqual([]);
  });

  it("shares no cookie between two sites, and says so", () => {
    const plan = planDeployment({
      config: config(
        {},
        { BETTER_AUTH_URL: "https://api.example.com", ACCOUNT_URL: "https://account.example.org" },
      ),
      env: DEPLOY_ENV,
      stage: "staging",
      mode: "deploy",
    });
    expect(plan.origins.cookieDomain).toBeUndefined();
    expect(plan.origins.rpId).toBe("account.example.org");
    expect(plan.notes.join("\n")).toContain("are on different sites, so they cannot share a session cookie");
  });
});

describe("registrableDomain", () => {
  it.each([
    ["api.example.com", "example.com"],
    ["a.b.example.com", "example.com"],
    ["api.shop.co.uk", "shop.co.uk"],
    ["shop.co.uk", "shop.co.uk"],
    ["my-app.pages.dev", "my-app.pages.dev"],
    ["x.my-app.pages.dev", "my-app.pages.dev"],
    ["app-pr-1.acme.workers.dev", "acme.workers.dev"],
    ["co.uk", undefined],
    ["com", undefined],
    ["localhost", undefined],
    ["127.0.0.1", undefined],
    // Beyond the hand-written list authform used to carry: the whole PSL, private section included.
    ["api.shop.org.es", "shop.org.es"],
    ["x.bucket.s3.amazonaws.com", "bucket.s3.amazonaws.com"],
    ["app.myshop.myshopify.com", "myshop.myshopify.com"],
    ["a.user.github.io", "user.github.io"],
    // Wildcard rules (*.kawasaki.jp, *.ck): one more label is public.
    ["a.foo.kawasaki.jp", "a.foo.kawasaki.jp"],
    ["www.shop.b.ck", "shop.b.ck"],
    // Their exceptions (!city.kawasaki.jp, !www.ck) are registrable themselves.
    ["x.city.kawasaki.jp", "city.kawasaki.jp"],
    ["www.ck", "www.ck"],
    // The PSL lists workers.dev, not *.workers.dev: <script>.<account>.workers.dev belongs to the account.
    ["shop-pr-7.acme.workers.dev", "acme.workers.dev"],
    ["acme.workers.dev", "acme.workers.dev"],
    ["workers.dev", undefined],
    ["s3.amazonaws.com", undefined],
    ["foo.kawasaki.jp", undefined],
    ["API.Example.COM", "example.com"],
    ["app.localhost", undefined],
    ["[::1]", undefined],
  ])("%s → %s", (host, expected) => {
    expect(registrableDomain(host)).toBe(expected);
  });

  it.each([
    ["com", true],
    ["co.uk", true],
    ["org.es", true],
    ["workers.dev", true],
    ["pages.dev", true],
    ["s3.amazonaws.com", true],
    ["foo.kawasaki.jp", true],
    ["example", true],
    ["city.kawasaki.jp", false],
    ["example.com", false],
    ["acme.workers.dev", false],
  ])("isPublicSuffix(%s) is %s", (domain, expected) => {
    expect(isPublicSuffix(domain)).toBe(expected);
  });

  it("domain-matches a host only on a label boundary", () => {
    expect(domainMatches("api.example.com", "example.com")).toBe(true);
    expect(domainMatches("example.com", "example.com")).toBe(true);
    expect(domainMatches("evilexample.com", "example.com")).toBe(false);
  });
});
