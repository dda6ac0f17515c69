/** GET /api/v1/system/status: per-plugin readiness (what each enabled feature lacks, by name) and never a secret's value. */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse.ts";
import type { PluginName } from "../../src/config/plugins.ts";
import { defineAuth, defineConfig } from "../../src/index.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";
import type { WorkerEnv } from "../../worker/env.ts";
import { systemRoutes } from "../../worker/routes/system.ts";
import type { PluginModule, WorkerSpec } from "../../worker/spec.ts";

const SECRET = "s3cret-value-that-must-never-leak-0123456789";
const PREVIOUS = "previous-secret-value-never-leaks-9876543210";
const AWS_KEY = "AKIAEXAMPLEKEYNEVERLEAK";
const AWS_SECRET = "aws-secret-access-key-never-leaks/abc";

type Auth = Parameters<typeof defineAuth>[1];

function specFor(auth: Auth, mode: "local" | "deploy" = "local"): WorkerSpec {
  const config = parseConfig(
    defineConfig({ name: "status-app", providers: { auth: defineAuth("better-auth", auth) } }),
  );
  const plan = planDeployment({
    config,
    // What a deploy must have; the plan keeps only names of secrets, so the values here do not matter.
    env: {
      BETTER_AUTH_URL: "https://api.example.com",
      ALCHEMY_PASSWORD: "x",
      AWS_ACCESS_KEY_ID: "k",
      AWS_SECRET_ACCESS_KEY: "s",
      AWS_SES_REGION: "eu-west-1",
      EMAIL_FROM: "auth@example.com",
    },
    stage: "s",
    mode,
    port: 1337,
  });
  const module: PluginModule = { betterAuth: () => [] };
  const plugins = Object.fromEntries(plan.plugins.map((name) => [name, module])) as Partial<
    Record<PluginName, PluginModule>
  >;
  return { manifest: plan.manifest, plugins };
}

function envWith(overrides: Partial<WorkerEnv> = {}): WorkerEnv {
  return {
    DB: {} as D1Database,
    BETTER_AUTH_SECRET: SECRET,
    BETTER_AUTH_URL: "http://localhost:1337",
    ACCOUNT_URL: "http://localhost:1337",
    APP_URL: "http://localhost:1337",
    APP_NAME: "Status App",
    AUTHFORM_STAGE: "s",
    AUTHFORM_MODE: "local",
    AUTHFORM_OUTBOX_URL: "http://127.0.0.1:9999/outbox",
    ...overrides,
  };
}

interface Status {
  plugins: string[];
  emailAndPassword: boolean;
  ready: boolean;
  readiness: Record<string, { ready: boolean; missing: string[] }>;
}

async function status(spec: WorkerSpec, env: WorkerEnv): Promise<{ body: Status; text: string }> {
  const res = await systemRoutes(spec).request("/status", {}, env);
  expect(res.status).toBe(200);
  const text = await res.text();
  return { body: JSON.parse(text) as Status, text };
}

describe("system status readiness", () => {
  it("lists every enabled plugin as ready when the stack has what each needs", async () => {
    const spec = specFor({
      emailAndPassword: { enabled: true },
      plugins: ["emailOtp", "magicLink", "passkey", "organization", "oauthProvider"],
    });
    const { body } = await status(spec, envWith());
    expect(body.ready).toBe(true);
    expect(Object.keys(body.readiness).sort()).toEqual(["core", "emailAndPassword", ...body.plugins].sort());
    for (const [name, check] of Object.entries(body.readiness)) {
      expect(check, name).toEqual({ ready: true, missing: [] });
    }
    // The fields the Account SPA already reads stay.
    expect(body.emailAndPassword).toBe(true);
    expect(body.plugins).toEqual(expect.arrayContaining(["jwt", "apiKey", "oauthProvider"]));
  });

  it("reports password sign-in off, with no readiness entry for it, when the config does not enable it", async () => {
    const { body } = await status(specFor({ plugins: ["magicLink"] }), envWith());
    expect(body.emailAndPassword).toBe(false);
    expect(Object.keys(body.readiness).sort()).toEqual(["core", "magicLink"]);
    expect(body.ready).toBe(true);
  });

  it("names what is missing: an email transport, the passkey origin, the secret", async () => {
    const spec = specFor({ plugins: ["emailOtp", "passkey", "anonymous"] });
    const { body } = await status(
      spec,
      envWith({ AUTHFORM_OUTBOX_URL: "", ACCOUNT_URL: "not a url", BETTER_AUTH_SECRET: "short" }),
    );
    expect(body.ready).toBe(false);
    expect(body.readiness.emailOtp).toEqual({ ready: false, missing: ["AUTHFORM_OUTBOX_URL"] });
    expect(body.readiness.passkey).toEqual({ ready: false, missing: ["ACCOUNT_URL"] });
    expect(body.readiness.core).toEqual({ ready: false, missing: ["BETTER_AUTH_SECRET"] });
    expect(body.readiness.anonymous).toEqual({ ready: true, missing: [] });
  });

  it("refuses a plain-http passkey origin other than localhost (WebAuthn needs a secure context)", async () => {
    const spec = specFor({ plugins: ["passkey"] });
    const insecure = await status(spec, envWith({ ACCOUNT_URL: "http://account.example.com" }));
    expect(insecure.body.readiness.passkey?.missing).toEqual(["ACCOUNT_URL"]);
    const secure = await status(spec, envWith({ ACCOUNT_URL: "https://account.example.com" }));
    expect(secure.body.readiness.passkey).toEqual({ ready: true, missing: [] });
  });

  it("checks the transport the plan chose: send_email binding + EMAIL_FROM, or SES's four vars", async () => {
    const cloudflare = specFor({ plugins: ["magicLink"] }, "deploy");
    const noBinding = await status(cloudflare, envWith({ AUTHFORM_MODE: "deploy" }));
    expect(noBinding.body.readiness.magicLink?.missing).toEqual(["EMAIL binding", "EMAIL_FROM"]);
    const bound = await status(
      cloudflare,
      envWith({
        AUTHFORM_MODE: "deploy",
        EMAIL: { send: async () => ({ messageId: "m" }) } as unknown as SendEmail,
        EMAIL_FROM: "auth@example.com",
      }),
    );
    expect(bound.body.readiness.magicLink).toEqual({ ready: true, missing: [] });

    const ses = specFor(
      { emailAndPassword: { enabled: true }, plugins: ["organization"], email: { provider: "aws-ses" } },
      "deploy",
    );
    const partial = await status(ses, envWith({ AUTHFORM_MODE: "deploy", AWS_ACCESS_KEY_ID: AWS_KEY }));
    expect(partial.body.readiness.organization?.missing).toEqual([
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SES_REGION",
      "EMAIL_FROM",
    ]);
  });

  it("needs password sign-up for upgradeAnonymous, and jwt for oauthProvider", async () => {
    const spec = specFor({ emailAndPassword: { enabled: true }, plugins: ["anonymous", "upgradeAnonymous"] });
    spec.manifest.emailAndPassword.allowSignUp = false;
    const { body } = await status(spec, envWith());
    expect(body.readiness.upgradeAnonymous?.missing).toEqual(["emailAndPassword sign-up"]);

    const oauth = specFor({ emailAndPassword: { enabled: true }, plugins: ["oauthProvider"] });
    delete oauth.plugins.jwt;
    const noJwt = await status(oauth, envWith());
    expect(noJwt.body.readiness.oauthProvider?.missing).toEqual(["jwt plugin"]);
  });

  it("needs password sign-in for twoFactor: the factor it adds to", async () => {
    const spec = specFor({ emailAndPassword: { enabled: true }, plugins: ["twoFactor"] });
    expect((await status(spec, envWith())).body.readiness.twoFactor?.missing).toEqual([]);
    // A manifest the config check would refuse, as a hand-edited deploy could carry.
    spec.manifest.emailAndPassword.enabled = false;
    const { body } = await status(spec, envWith());
    expect(body.readiness.twoFactor?.missing).toEqual(["emailAndPassword sign-in"]);
  });

  it("never contains a secret's value, whatever is configured", async () => {
    const spec = specFor(
      {
        emailAndPassword: { enabled: true },
        plugins: ["emailOtp", "jwt", "organization"],
        email: { provider: "aws-ses" },
      },
      "deploy",
    );
    const { text } = await status(
      spec,
      envWith({
        AUTHFORM_MODE: "deploy",
        BETTER_AUTH_PREVIOUS_SECRET: PREVIOUS,
        AUTHFORM_JWT_PREVIOUS_SECRET: PREVIOUS,
        AWS_ACCESS_KEY_ID: AWS_KEY,
        AWS_SECRET_ACCESS_KEY: AWS_SECRET,
        AWS_SES_REGION: "eu-west-1",
        EMAIL_FROM: "auth@example.com",
      }),
    );
    for (const secret of [SECRET, PREVIOUS, AWS_KEY, AWS_SECRET]) expect(text).not.toContain(secret);
    expect(JSON.parse(text).ready).toBe(true);
  });
});
