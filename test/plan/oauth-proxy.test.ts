/** auth.oauthProxy in the plan: each stage's role, the previews' redirect URI, the allow-list and the shared secret. */
import { describe, expect, it } from "vitest";
import { stackOutputs } from "../../src/cli/outputs.ts";
import { formatSummary } from "../../src/cli/summary.ts";
import { parseConfig } from "../../src/config/parse.ts";
import type { OAuthProxyInput, RuntimeOptionsInput } from "../../src/config/types.ts";
import { previewOriginAllowed } from "../../src/contract/oauth-proxy.ts";
import { defineAuth, defineConfig, defineRuntime } from "../../src/index.ts";
import { OAuthProxyPlanError } from "../../src/plan/errors.ts";
import { formatPlan } from "../../src/plan/format-plan.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";

const SECRET = "s".repeat(40);

const configWith = (oauthProxy: OAuthProxyInput, runtime?: RuntimeOptionsInput) =>
  parseConfig(
    defineConfig({
      name: "shop",
      providers: {
        ...(runtime ? { runtime: defineRuntime("cloudflare", runtime) } : {}),
        auth: defineAuth("better-auth", { socialProviders: { google: {} }, oauthProxy }),
      },
    }),
  );

const deployEnv = {
  ALCHEMY_PASSWORD: "pw",
  GOOGLE_CLIENT_ID: "g-id",
  GOOGLE_CLIENT_SECRET: "g-secret",
  AUTHFORM_OAUTH_PROXY_SECRET: SECRET,
  CLOUDFLARE_WORKERS_SUBDOMAIN: "acme",
};

const plan = (config: ReturnType<typeof configWith>, stage: string, env: Record<string, string> = {}) =>
  planDeployment({
    config,
    env: {
      ...deployEnv,
      BETTER_AUTH_URL:
        stage === "production" ? "https://auth.example.com" : `https://shop-${stage}.acme.workers.dev`,
      ...env,
    },
    stage,
    mode: "deploy",
  });

const explicit = configWith({ url: "https://auth.example.com" });

describe("oauthProxy on a deploy", () => {
  it("a preview's redirect URI is the stable stage's callback; it gets the stable URL and the shared secret", () => {
    const p = plan(explicit, "pr-12");
    expect(p.oauthProxy).toEqual({
      role: "preview",
      stableStage: "production",
      stableUrl: "https://auth.example.com",
      previewOrigins: [],
    });
    expect(p.socialProviders.map((s) => s.callbackUrl)).toEqual([
      "https://auth.example.com/auth/v1/callback/google",
    ]);
    expect(p.vars.AUTHFORM_OAUTH_PROXY_STABLE_URL).toBe("https://auth.example.com");
    expect(p.vars).not.toHaveProperty("AUTHFORM_OAUTH_PROXY_PREVIEWS");
    expect(p.secrets).toContainEqual({ name: "AUTHFORM_OAUTH_PROXY_SECRET", source: "env" });
    expect(p.manifest.oauthProxy).toBe("preview");
    expect(formatPlan(p)).toContain(
      "Social        through https://auth.example.com (oauthProxy): its callback URLs, nothing to register for pr-12:",
    );
    expect(formatSummary(p, stackOutputs(p, p.urls.api), ".authform/pr-12.json")).toContain(
      "Social    through https://auth.example.com (oauthProxy)",
    );
  });

  it("the stable stage keeps its own callback and forwards only to this app's pr-<n> previews", () => {
    const p = plan(explicit, "production");
    expect(p.oauthProxy?.role).toBe("stable");
    expect(p.socialProviders[0]?.callbackUrl).toBe("https://auth.example.com/auth/v1/callback/google");
    expect(p.vars.AUTHFORM_OAUTH_PROXY_PREVIEWS).toBe("https://shop-pr-*.acme.workers.dev");
    expect(p.manifest.oauthProxy).toBe("stable");
    expect(formatPlan(p)).toContain("previews forwarded to (oauthProxy): https://shop-pr-*.acme.workers.dev");
    // The allow-list the Worker reads: this app's previews, no lookalike.
    const list = p.oauthProxy?.previewOrigins ?? [];
    expect(
      previewOriginAllowed("https://shop-pr-12.acme.workers.dev/auth/v1/callback/google/oauth-proxy", list),
    ).toBe(true);
    for (const lookalike of [
      "https://shop-pr-12.evil.workers.dev",
      "https://shop-pr-12.acme.workers.dev.evil.com",
      "https://shopx-pr-12.acme.workers.dev",
      "https://shop-pr-12x.acme.workers.dev",
      "https://shop-pr-1.2.acme.workers.dev",
      "http://shop-pr-12.acme.workers.dev",
      "https://shop-pr-12.acme.workers.dev:8443",
      "https://evil@shop-pr-12.acme.workers.dev",
      "https://shop-production.acme.workers.dev",
    ]) {
      expect(previewOriginAllowed(lookalike, list), lookalike).toBe(false);
    }
  });

  it("previewOrigins adds exact origins to the allow-list", () => {
    const p = plan(
      configWith({ url: "https://auth.example.com", previewOrigins: ["https://qa.example.com"] }),
      "production",
    );
    expect(p.oauthProxy?.previewOrigins).toEqual([
      "https://shop-pr-*.acme.workers.dev",
      "https://qa.example.com",
    ]);
  });

  it("derives the stable URL from runtime.domains, and refuses a url that disagrees with them", () => {
    const domains = { domains: { api: "auth.shop.example" } };
    const p = plan(configWith({}, domains), "pr-3");
    expect(p.oauthProxy?.stableUrl).toBe("https://auth.shop.example");
    expect(() => plan(configWith({ url: "https://auth.example.com" }, domains), "pr-3")).toThrow(
      "oauthProxy.url is https://auth.example.com, but stage production serves on https://auth.shop.example",
    );
  });

  it("another production stage uses its own callback URLs", () => {
    const config = configWith(
      { stage: "production", url: "https://auth.example.com" },
      {
        productionStages: ["production", "eu"],
      },
    );
    const p = plan(config, "eu", { BETTER_AUTH_URL: "https://eu.example.com" });
    expect(p.oauthProxy).toBeUndefined();
    expect(p.socialProviders[0]?.callbackUrl).toBe("https://eu.example.com/auth/v1/callback/google");
    expect(p.notes.join("\n")).toContain("Stage eu is a production stage but not oauthProxy's stable stage");
  });

  it("refuses, before anything is provisioned, what cannot work", () => {
    const refusal = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        expect(err).toBeInstanceOf(OAuthProxyPlanError);
        expect((err as OAuthProxyPlanError).nothingProvisioned).toBe(true);
        return (err as Error).message;
      }
      throw new Error("planned");
    };
    expect(refusal(() => plan(configWith({}), "pr-1"))).toContain("oauthProxy needs the stable stage's URL");
    expect(refusal(() => plan(explicit, "pr-1", { AUTHFORM_OAUTH_PROXY_SECRET: "" }))).toContain(
      "AUTHFORM_OAUTH_PROXY_SECRET is not set",
    );
    expect(refusal(() => plan(explicit, "pr-1", { AUTHFORM_OAUTH_PROXY_SECRET: "short" }))).toContain(
      "AUTHFORM_OAUTH_PROXY_SECRET is 5 characters; use at least 32",
    );
    expect(refusal(() => plan(explicit, "production", { CLOUDFLARE_WORKERS_SUBDOMAIN: "" }))).toContain(
      "no preview may receive a sign-in from it",
    );
    expect(
      refusal(() => plan(explicit, "production", { BETTER_AUTH_URL: "https://other.example.com" })),
    ).toContain("it serves on https://other.example.com, not oauthProxy.url https://auth.example.com");
    const twoProduction = configWith(
      { url: "https://auth.example.com" },
      { productionStages: ["production", "eu"] },
    );
    expect(refusal(() => plan(twoProduction, "pr-1"))).toContain(
      "oauthProxy.stage is not set and productionStages names 2 stages",
    );
  });

  it("a config without oauthProxy plans as before", () => {
    const config = parseConfig(
      defineConfig({
        name: "shop",
        providers: { auth: defineAuth("better-auth", { socialProviders: { google: {} } }) },
      }),
    );
    const p = plan(config, "pr-12");
    expect(p.oauthProxy).toBeUndefined();
    expect(p.manifest).not.toHaveProperty("oauthProxy");
    expect(p.socialProviders[0]?.callbackUrl).toBe(
      "https://shop-pr-12.acme.workers.dev/auth/v1/callback/google",
    );
  });
});

describe("oauthProxy on local stacks", () => {
  const local = (url: string, port: number, env: Record<string, string> = {}) =>
    planDeployment({
      config: configWith({ url, previewOrigins: ["http://localhost:4002"] }),
      env: { AUTHFORM_OAUTH_PROXY_SECRET: SECRET, ...env },
      stage: "dev",
      mode: "local",
      port,
    });

  it("two local stacks: the one at the stable URL is stable, another is a preview", () => {
    expect(local("http://localhost:4001", 4001).oauthProxy?.role).toBe("stable");
    const preview = local("http://localhost:4001", 4002);
    expect(preview.oauthProxy?.role).toBe("preview");
    expect(preview.socialProviders[0]?.callbackUrl).toBe("http://localhost:4001/auth/v1/callback/google");
  });

  it("a local stack never signs in through a deployed stage, and then needs no secret", () => {
    const p = local("https://auth.example.com", 4002, { AUTHFORM_OAUTH_PROXY_SECRET: "" });
    expect(p.oauthProxy).toBeUndefined();
    expect(p.socialProviders[0]?.callbackUrl).toBe("http://localhost:4002/auth/v1/callback/google");
    expect(p.notes.join("\n")).toContain("this local stack uses its own callback URLs instead");
  });
});
