/** Social sign-in in the plan: credentials from the environment, callback URLs per stage, loopback only locally. */
import { describe, expect, it } from "vitest";
import { stackOutputs } from "../../src/cli/outputs.ts";
import { formatSummary } from "../../src/cli/summary.ts";
import { ConfigError } from "../../src/config/errors.ts";
import { parseConfig } from "../../src/config/parse.ts";
import { defineAuth, defineConfig } from "../../src/index.ts";
import { MissingEnvError, SocialLoopbackError } from "../../src/plan/errors.ts";
import { formatPlan } from "../../src/plan/format-plan.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";

const social = parseConfig(
  defineConfig({
    name: "app",
    providers: {
      auth: defineAuth("better-auth", {
        socialProviders: { github: { scope: ["read:org"] }, google: {} },
        accountLinking: { trustedProviders: ["google"] },
      }),
    },
  }),
);

const deployEnv = {
  BETTER_AUTH_URL: "https://api.example.com",
  ALCHEMY_PASSWORD: "pw",
  GOOGLE_CLIENT_ID: "g-id",
  GOOGLE_CLIENT_SECRET: "g-secret",
  GITHUB_CLIENT_ID: "gh-id",
  GITHUB_CLIENT_SECRET: "gh-secret",
};

describe("social sign-in in the config", () => {
  it("resolves providers in catalogue order with their scopes, and the trusted list", () => {
    expect(social.auth.socialProviders).toEqual({ google: {}, github: { scope: ["read:org"] } });
    expect(Object.keys(social.auth.socialProviders)).toEqual(["google", "github"]);
    expect(social.auth.trustedProviders).toEqual(["google"]);
  });

  it("is a way to sign in on its own (no passwords, no plugin)", () => {
    expect(social.auth.emailAndPassword.enabled).toBe(false);
  });

  it("refuses an unknown provider, a bad scope and a trusted provider that is not configured", () => {
    const parse = () =>
      parseConfig(
        defineConfig({
          name: "app",
          providers: {
            auth: defineAuth("better-auth", {
              emailAndPassword: { enabled: true },
              // @ts-expect-error: not a provider authform supports
              socialProviders: { myspace: {}, github: { scope: ["user email"] } },
            }),
          },
        }),
      );
    expect(parse).toThrow(ConfigError);
    const untrusted = () =>
      parseConfig(
        defineConfig({
          name: "app",
          providers: {
            auth: defineAuth("better-auth", {
              socialProviders: { github: {} },
              accountLinking: { trustedProviders: ["google"] },
            }),
          },
        }),
      );
    expect(untrusted).toThrow('accountLinking.trustedProviders[0]: "google" is not in socialProviders');
    const message = (() => {
      try {
        parse();
      } catch (err) {
        return (err as Error).message;
      }
      return "";
    })();
    expect(message).toContain(
      '"myspace" is not a supported social provider (expected google, github, apple, microsoft, discord)',
    );
    expect(message).toContain('expected a scope like "user:email", got "user email"');
  });
});

describe("social sign-in in the plan", () => {
  it("a deploy without a provider's credentials stops, naming each variable", () => {
    const env = { ...deployEnv, GITHUB_CLIENT_ID: "", GITHUB_CLIENT_SECRET: undefined };
    let error: unknown;
    try {
      planDeployment({ config: social, env, stage: "production", mode: "deploy" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MissingEnvError);
    expect((error as MissingEnvError).missing.map((m) => m.name)).toEqual([
      "GITHUB_CLIENT_ID",
      "GITHUB_CLIENT_SECRET",
    ]);
    expect((error as MissingEnvError).nothingProvisioned).toBe(true);
    expect((error as Error).message).toContain("GITHUB_CLIENT_SECRET: socialProviders.github needs");
  });

  it("a deploy: the client id is a var, the secret a Worker secret, each callback URL printed", () => {
    const plan = planDeployment({ config: social, env: deployEnv, stage: "production", mode: "deploy" });
    expect(plan.vars.GOOGLE_CLIENT_ID).toBe("g-id");
    expect(plan.vars.GITHUB_CLIENT_ID).toBe("gh-id");
    expect(Object.values(plan.vars)).not.toContain("g-secret");
    expect(plan.secrets).toEqual(
      expect.arrayContaining([
        { name: "GOOGLE_CLIENT_SECRET", source: "env" },
        { name: "GITHUB_CLIENT_SECRET", source: "env" },
      ]),
    );
    expect(plan.socialProviders.map((p) => [p.id, p.callbackUrl])).toEqual([
      ["google", "https://api.example.com/auth/v1/callback/google"],
      ["github", "https://api.example.com/auth/v1/callback/github"],
    ]);
    expect(plan.manifest.socialProviders).toEqual({ google: {}, github: { scope: ["read:org"] } });
    expect(plan.manifest.trustedProviders).toEqual(["google"]);
    const text = formatPlan(plan);
    expect(text).toContain("google   https://api.example.com/auth/v1/callback/google");
    expect(text).toContain("github   https://api.example.com/auth/v1/callback/github");
    expect(text).not.toContain("gh-secret");
  });

  it("the run summary and .authform/<stage>.json carry the same callback URLs", () => {
    const plan = planDeployment({ config: social, env: deployEnv, stage: "production", mode: "deploy" });
    const outputs = stackOutputs(plan, "https://api.example.com");
    expect(outputs.socialCallbacks).toEqual({
      google: "https://api.example.com/auth/v1/callback/google",
      github: "https://api.example.com/auth/v1/callback/github",
    });
    const summary = formatSummary(plan, outputs, ".authform/production.json");
    expect(summary).toContain("Callback  google  https://api.example.com/auth/v1/callback/google");
    expect(summary).toContain("github  https://api.example.com/auth/v1/callback/github");
  });

  it("local mode runs without credentials, the provider off, and says so", () => {
    const plan = planDeployment({ config: social, env: {}, stage: "alice", mode: "local", port: 1500 });
    expect(plan.socialProviders.every((p) => !p.credentials)).toBe(true);
    expect(plan.socialProviders[0]?.callbackUrl).toBe("http://localhost:1500/auth/v1/callback/google");
    expect(plan.notes).toContain(
      "Google sign-in is off on this local stack: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET to turn it on.",
    );
    expect(plan.secrets.map((s) => s.name)).toEqual(["BETTER_AUTH_SECRET"]);
  });

  it("a config without providers plans as before: no social vars, no manifest fields", () => {
    const plain = parseConfig(
      defineConfig({
        name: "app",
        providers: { auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }) },
      }),
    );
    const plan = planDeployment({ config: plain, env: deployEnv, stage: "production", mode: "deploy" });
    expect(plan.vars.GOOGLE_CLIENT_ID).toBeUndefined();
    expect(plan.secrets.map((s) => s.name)).toEqual(["BETTER_AUTH_SECRET"]);
    expect("socialProviders" in plan.manifest).toBe(false);
    expect(formatPlan(plan)).not.toContain("callback");
  });
});

describe("AUTHFORM_SOCIAL_LOOPBACK", () => {
  const loopback = "google=http://127.0.0.1:4001,github=http://localhost:4002";

  it("local mode passes the loopback origins to the Worker", () => {
    const plan = planDeployment({
      config: social,
      env: { AUTHFORM_SOCIAL_LOOPBACK: loopback },
      stage: "alice",
      mode: "local",
      port: 1500,
    });
    expect(plan.vars.AUTHFORM_SOCIAL_LOOPBACK).toBe(loopback);
    expect(plan.socialProviders.map((p) => p.loopback)).toEqual([
      "http://127.0.0.1:4001",
      "http://localhost:4002",
    ]);
    expect(formatPlan(plan)).toContain("endpoints on http://127.0.0.1:4001");
  });

  it("a deploy refuses it before anything is provisioned", () => {
    const run = () =>
      planDeployment({
        config: social,
        env: { ...deployEnv, AUTHFORM_SOCIAL_LOOPBACK: loopback },
        stage: "production",
        mode: "deploy",
      });
    expect(run).toThrow(SocialLoopbackError);
    expect(run).toThrow(/exists only for local mode and tests/);
  });

  it("refuses an origin off loopback, an unknown provider and one the config does not have", () => {
    const plan =
      (value: string, config = social) =>
      () =>
        planDeployment({
          config,
          env: { AUTHFORM_SOCIAL_LOOPBACK: value },
          stage: "a",
          mode: "local",
          port: 1500,
        });
    expect(plan("google=https://accounts.google.com")).toThrow(/expected an http origin on 127.0.0.1/);
    expect(plan("okta=http://127.0.0.1:1")).toThrow(/provider one of google, github/);
    const googleOnly = parseConfig(
      defineConfig({
        name: "app",
        providers: { auth: defineAuth("better-auth", { socialProviders: { google: {} } }) },
      }),
    );
    expect(plan("github=http://127.0.0.1:1", googleOnly)).toThrow(
      /"github" is not in the config's socialProviders/,
    );
  });
});
