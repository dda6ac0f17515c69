import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse.ts";
import { defineAuth, defineConfig, defineDatabase, defineRuntime } from "../../src/index.ts";
import { MissingEnvError } from "../../src/plan/errors.ts";
import { formatPlan } from "../../src/plan/format-plan.ts";
import { planDeployment, withOutboxUrl } from "../../src/plan/plan-deployment.ts";

const seedSes = parseConfig(
  defineConfig({
    name: "quickback-api",
    providers: {
      runtime: defineRuntime("cloudflare"),
      database: defineDatabase("cloudflare-d1", {
        vars: {
          AWS_SES_REGION: "us-east-2",
          EMAIL_FROM: "noreply@yourdomain.com",
          EMAIL_FROM_NAME: "Your App | Account Services",
          APP_NAME: "Your App",
          APP_URL: "https://account.yourdomain.com",
          BETTER_AUTH_URL: "https://api.yourdomain.com",
        },
      }),
      auth: defineAuth("better-auth", { emailAndPassword: { enabled: true }, plugins: ["emailOtp"] }),
    },
  }),
);

const minimal = parseConfig(
  defineConfig({
    name: "app",
    providers: { auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }) },
  }),
);

describe("planDeployment", () => {
  it("local mode serves every origin at the local URL and says what it overrode", () => {
    const plan = planDeployment({ config: seedSes, env: {}, stage: "alice", mode: "local", port: 1400 });
    expect(plan.urls).toEqual({
      api: "http://localhost:1400",
      account: "http://localhost:1400",
      app: "http://localhost:1400",
    });
    expect(plan.vars.BETTER_AUTH_URL).toBe("http://localhost:1400");
    expect(plan.notes.join("\n")).toContain("BETTER_AUTH_URL is https://api.yourdomain.com in the config");
    expect(plan.emailTransport).toBe("local-outbox");
    expect(plan.bindings).toEqual({ DB: "d1" });
    expect(plan.port).toBe(1400);
  });

  it("names resources by app and stage so stages never share one", () => {
    const a = planDeployment({ config: minimal, env: {}, stage: "a", mode: "local", port: 1 });
    const b = planDeployment({ config: minimal, env: {}, stage: "b", mode: "local", port: 2 });
    expect(a.names).toEqual({ worker: "app-a", database: "app-a-db" });
    expect(b.names.database).not.toBe(a.names.database);
  });

  it("keeps secrets out of vars and records only where each comes from", () => {
    const env = {
      BETTER_AUTH_SECRET: "s3cret-value-that-must-not-leak",
      AWS_ACCESS_KEY_ID: "AKIA",
      ALCHEMY_PASSWORD: "p",
    };
    const plan = planDeployment({ config: seedSes, env, stage: "prod", mode: "deploy" });
    expect(plan.secrets).toContainEqual({ name: "BETTER_AUTH_SECRET", source: "env" });
    expect(JSON.stringify(plan)).not.toContain("s3cret-value-that-must-not-leak");
    expect(formatPlan(plan)).not.toContain("s3cret-value-that-must-not-leak");
    expect(plan.vars).not.toHaveProperty("AWS_ACCESS_KEY_ID");
  });

  it("generates BETTER_AUTH_SECRET when the environment has none", () => {
    const plan = planDeployment({ config: minimal, env: {}, stage: "a", mode: "local", port: 1 });
    expect(plan.secrets).toEqual([{ name: "BETTER_AUTH_SECRET", source: "generated" }]);
  });

  it("deploy mode takes the email transport from the config and binds send_email for Cloudflare", () => {
    const config = parseConfig(
      defineConfig({
        name: "app",
        providers: {
          database: defineDatabase("cloudflare-d1", { vars: { BETTER_AUTH_URL: "https://api.example.com" } }),
          auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }),
        },
      }),
    );
    const plan = planDeployment({ config, env: { ALCHEMY_PASSWORD: "p" }, stage: "prod", mode: "deploy" });
    expect(plan.emailTransport).toBe("cloudflare");
    expect(plan.bindings).toEqual({ DB: "d1", EMAIL: "send_email" });
    expect(plan.vars.ACCOUNT_URL).toBe("https://api.example.com");
    expect(plan.vars.APP_NAME).toBe("app");
  });

  it("fails before provisioning when deploy-mode env is missing, naming every variable", () => {
    const run = () => planDeployment({ config: seedSes, env: {}, stage: "prod", mode: "deploy" });
    expect(run).toThrow(MissingEnvError);
    try {
      run();
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain("ALCHEMY_PASSWORD");
      expect(message).toContain("see .env.example");
    }
  });

  it("requires the SES credentials and ACCOUNT_URL for passkeys when deploying", () => {
    const config = parseConfig(
      defineConfig({
        name: "app",
        providers: {
          database: defineDatabase("cloudflare-d1", { vars: { BETTER_AUTH_URL: "https://api.example.com" } }),
          auth: defineAuth("better-auth", { plugins: ["passkey"], email: { provider: "aws-ses" } }),
        },
      }),
    );
    let message = "";
    try {
      planDeployment({ config, env: { ALCHEMY_PASSWORD: "p" }, stage: "prod", mode: "deploy" });
    } catch (err) {
      message = (err as Error).message;
    }
    for (const name of [
      "ACCOUNT_URL",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SES_REGION",
      "EMAIL_FROM",
    ]) {
      expect(message).toContain(name);
    }
  });

  it("takes catalogue vars from the environment when the config does not set them", () => {
    const plan = planDeployment({
      config: minimal,
      env: { EMAIL_FROM: "auth@example.com", UNRELATED: "x" },
      stage: "a",
      mode: "local",
      port: 1,
    });
    expect(plan.vars.EMAIL_FROM).toBe("auth@example.com");
    expect(plan.vars).not.toHaveProperty("UNRELATED");
  });

  it("lists root discovery routes only with the OAuth provider", () => {
    const oauth = parseConfig(
      defineConfig({
        name: "app",
        providers: {
          auth: defineAuth("better-auth", {
            emailAndPassword: { enabled: true },
            plugins: ["oauthProvider"],
          }),
        },
      }),
    );
    const plan = planDeployment({ config: oauth, env: {}, stage: "a", mode: "local", port: 1 });
    expect(plan.routes.wellKnown).toContain("/.well-known/oauth-authorization-server");
    expect(plan.plugins).toEqual(["jwt", "oauthProvider"]);
    expect(formatPlan(plan)).toContain("jwt (with oauthProvider)");
    const none = planDeployment({ config: minimal, env: {}, stage: "a", mode: "local", port: 1 });
    expect(none.routes.wellKnown).toEqual([]);
  });
});

describe("email transport", () => {
  const ses = parseConfig(
    defineConfig({
      name: "app",
      providers: {
        auth: defineAuth("better-auth", { plugins: ["emailOtp"], email: { provider: "aws-ses" } }),
      },
    }),
  );

  it("local mode uses the outbox and tells the Worker where it is", () => {
    const planned = planDeployment({ config: ses, env: {}, stage: "a", mode: "local", port: 1 });
    expect(planned.emailTransport).toBe("local-outbox");
    // The program starts the outbox for this plan, then tells the Worker where it is.
    const plan = withOutboxUrl(planned, "http://127.0.0.1:9999/outbox");
    expect(plan.vars.AUTHFORM_OUTBOX_URL).toBe("http://127.0.0.1:9999/outbox");
    expect(Object.keys(plan.vars)).toEqual(Object.keys(plan.vars).sort((a, b) => a.localeCompare(b)));
  });

  it("local mode sends through SES only when AWS_SES_ENDPOINT points at one", () => {
    const env = {
      AWS_SES_ENDPOINT: "http://127.0.0.1:8005",
      AWS_ACCESS_KEY_ID: "AKID",
      AWS_SECRET_ACCESS_KEY: "x",
    };
    const plan = planDeployment({ config: ses, env, stage: "a", mode: "local", port: 1 });
    expect(plan.emailTransport).toBe("aws-ses");
    // No outbox is started for it; given a URL anyway, the plan does not take it.
    expect(withOutboxUrl(plan, "http://o")).toBe(plan);
    expect(plan.vars.AWS_SES_ENDPOINT).toBe("http://127.0.0.1:8005");
    expect(plan.vars).not.toHaveProperty("AUTHFORM_OUTBOX_URL");
    expect(plan.secrets.map((s) => s.name)).toEqual([
      "BETTER_AUTH_SECRET",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
    ]);
  });
});

describe("fast-path token settings", () => {
  it("carries auth.jwt into the manifest and makes a custom secretEnv a Worker secret", () => {
    const config = parseConfig(
      defineConfig({
        name: "app",
        providers: {
          auth: defineAuth("better-auth", {
            emailAndPassword: { enabled: true },
            jwt: { expiresIn: "5m", audience: "https://api.example.com", secretEnv: "API_TOKEN_SECRET" },
          }),
        },
      }),
    );
    const plan = planDeployment({ config, env: {}, stage: "a", mode: "local", port: 1 });
    expect(plan.manifest.fastPath).toEqual({
      expiresInSeconds: 300,
      audience: "https://api.example.com",
      secretEnv: "API_TOKEN_SECRET",
    });
    expect(plan.secrets).toContainEqual({ name: "API_TOKEN_SECRET", source: "generated" });
  });
});
