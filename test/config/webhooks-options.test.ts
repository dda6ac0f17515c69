/** `webhooks`: each endpoint checked as a person wrote it, and carried to the plan, the Worker and --plan. */
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/errors.ts";
import { parseConfig } from "../../src/config/parse.ts";
import { DEFAULT_WEBHOOK_RETRY_DELAYS } from "../../src/contract/webhooks.ts";
import { defineAuth, defineConfig } from "../../src/index.ts";
import { MissingEnvError } from "../../src/plan/errors.ts";
import { formatPlan } from "../../src/plan/format-plan.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";

const withWebhooks = (webhooks: unknown) =>
  defineConfig({
    name: "app",
    providers: {
      auth: defineAuth("better-auth", { emailAndPassword: { enabled: true }, webhooks: webhooks as never }),
    },
  });

function problems(webhooks: unknown): string {
  try {
    parseConfig(withWebhooks(webhooks));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("config was accepted");
}

const endpoint = {
  url: "https://hooks.example.com/authform",
  events: ["user.created"],
  secretEnv: "WEBHOOK_SECRET",
};
const env = { WEBHOOK_SECRET: "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0" };

describe("auth.webhooks", () => {
  it("is empty when the config has none, and then the plan has no queues", () => {
    const config = parseConfig(withWebhooks(undefined));
    expect(config.auth.webhooks).toEqual([]);
    const plan = planDeployment({ config, env: {}, stage: "dev", mode: "local", port: 1337 });
    expect(plan.names.webhooks).toBeUndefined();
    expect(plan.bindings.WEBHOOKS).toBeUndefined();
    expect(plan.manifest.webhooks).toBeUndefined();
  });

  it("fills in the retry schedule and drops a repeated event", () => {
    const config = parseConfig(withWebhooks([{ ...endpoint, events: ["user.created", "user.created"] }]));
    expect(config.auth.webhooks).toEqual([
      { ...endpoint, events: ["user.created"], retryDelaysSeconds: DEFAULT_WEBHOOK_RETRY_DELAYS },
    ]);
  });

  it("plans the two queues per stage, binds them, takes the secret from the environment, and shows them", () => {
    const config = parseConfig(withWebhooks([endpoint]));
    const plan = planDeployment({ config, env, stage: "dev", mode: "local", port: 1337 });
    expect(plan.names.webhooks).toEqual({ queue: "app-dev-webhooks", deadLetters: "app-dev-webhooks-dlq" });
    expect(plan.bindings).toMatchObject({ WEBHOOKS: "queue", WEBHOOKS_DLQ: "queue" });
    expect(plan.vars.AUTHFORM_WEBHOOKS_DLQ).toBe("app-dev-webhooks-dlq");
    expect(plan.secrets).toContainEqual({ name: "WEBHOOK_SECRET", source: "env" });
    expect(plan.manifest.webhooks).toEqual(config.auth.webhooks);
    const shown = formatPlan(plan);
    expect(shown).toContain("Queue         app-dev-webhooks  (webhook deliveries, 1 endpoint(s))");
    expect(shown).not.toContain(env.WEBHOOK_SECRET);
  });

  it("refuses to plan without the signing secret, in local mode too, naming it once for two endpoints", () => {
    const config = parseConfig(withWebhooks([endpoint, { ...endpoint, url: "https://two.example.com/" }]));
    let error: unknown;
    try {
      planDeployment({ config, env: {}, stage: "dev", mode: "local", port: 1337 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MissingEnvError);
    const { missing } = error as MissingEnvError;
    expect(missing.map((m) => m.name)).toEqual(["WEBHOOK_SECRET"]);
    expect(missing[0]?.reason).toContain("webhooks[0] (https://hooks.example.com/authform) signs with it");
  });

  it.each([
    [
      [{ ...endpoint, url: "http://hooks.example.com/" }],
      "providers.auth.webhooks[0].url",
      "expected an https URL (http only for localhost)",
    ],
    [
      [{ ...endpoint, url: "hooks.example.com" }],
      "providers.auth.webhooks[0].url",
      'expected an absolute URL, got "hooks.example.com"',
    ],
    [
      [{ ...endpoint, url: "https://user:pw@hooks.example.com/" }],
      "providers.auth.webhooks[0].url",
      "credentials in the URL",
    ],
    [
      [{ ...endpoint, events: ["user.create"] }],
      "providers.auth.webhooks[0].events[0]",
      'unknown webhook event "user.create" (did you mean "user.created"?)',
    ],
    [[{ ...endpoint, events: [] }], "providers.auth.webhooks[0].events", "expected at least one event"],
    [
      [{ ...endpoint, secretEnv: "webhook-secret" }],
      "providers.auth.webhooks[0].secretEnv",
      "expected an environment variable name",
    ],
    [
      [{ ...endpoint, retryDelaysSeconds: [0] }],
      "providers.auth.webhooks[0].retryDelaysSeconds[0]",
      "expected at least 1 second",
    ],
    [
      [{ ...endpoint, retryDelaysSeconds: [50_000] }],
      "providers.auth.webhooks[0].retryDelaysSeconds[0]",
      "a Queue's longest delay",
    ],
    [[{ ...endpoint, secret: "whsec_x" }], "providers.auth.webhooks[0]", "secret"],
  ])("refuses %j at %s", (webhooks, where, message) => {
    const said = problems(webhooks);
    expect(said).toContain(where);
    expect(said).toContain(message);
  });

  it("accepts http for a receiver on this machine", () => {
    const config = parseConfig(withWebhooks([{ ...endpoint, url: "http://127.0.0.1:8787/hook" }]));
    expect(config.auth.webhooks[0]?.url).toBe("http://127.0.0.1:8787/hook");
  });
});
