/** GET /api/v1/system/email-status and the transport choice: configured only when the chosen transport can send. */
import { describe, expect, it } from "vitest";
import { emailSenderFor } from "../../worker/email/index.ts";
import { EmailDeliveryError } from "../../worker/email/types.ts";
import type { WorkerEnv } from "../../worker/env.ts";
import { systemRoutes } from "../../worker/routes/system.ts";
import type { RuntimeManifest } from "../../worker/spec.ts";

function manifest(emailTransport: RuntimeManifest["emailTransport"]): RuntimeManifest {
  return {
    basePath: "/auth/v1",
    emailAndPassword: {
      enabled: true,
      allowSignUp: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      requireEmailVerification: false,
      passwordHashing: "standard",
    },
    plugins: { emailOtp: {} },
    emailTransport,
  };
}

const base = { APP_NAME: "Acme", AUTHFORM_STAGE: "alice" };
const binding: SendEmail = { send: async () => ({ messageId: "m-1" }) };
const SES = {
  AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
  AWS_SECRET_ACCESS_KEY: "secret",
  AWS_SES_REGION: "eu-west-1",
  EMAIL_FROM: "noreply@acme.example",
};

async function emailStatus(transport: RuntimeManifest["emailTransport"], env: Partial<WorkerEnv>) {
  const app = systemRoutes({ manifest: manifest(transport), plugins: {} });
  const res = await app.request("/email-status", {}, { ...base, ...env } as WorkerEnv);
  expect(res.status).toBe(200);
  return res.json();
}

describe("GET /api/v1/system/email-status", () => {
  it.each<[string, RuntimeManifest["emailTransport"], Partial<WorkerEnv>, boolean]>([
    [
      "local outbox with its URL",
      "local-outbox",
      { AUTHFORM_MODE: "local", AUTHFORM_OUTBOX_URL: "http://127.0.0.1:9/outbox/x" },
      true,
    ],
    ["local outbox without its URL", "local-outbox", { AUTHFORM_MODE: "local" }, false],
    [
      "local outbox on a deployed stage",
      "local-outbox",
      { AUTHFORM_MODE: "deploy", AUTHFORM_OUTBOX_URL: "http://127.0.0.1:9/o" },
      false,
    ],
    [
      "cloudflare with the binding and EMAIL_FROM",
      "cloudflare",
      { AUTHFORM_MODE: "deploy", EMAIL: binding, EMAIL_FROM: "noreply@acme.example" },
      true,
    ],
    ["cloudflare without EMAIL_FROM", "cloudflare", { AUTHFORM_MODE: "deploy", EMAIL: binding }, false],
    [
      "cloudflare with a blank EMAIL_FROM",
      "cloudflare",
      { AUTHFORM_MODE: "deploy", EMAIL: binding, EMAIL_FROM: " " },
      false,
    ],
    [
      "cloudflare without the binding",
      "cloudflare",
      { AUTHFORM_MODE: "deploy", EMAIL_FROM: "noreply@acme.example" },
      false,
    ],
    ["aws-ses with every var and secret", "aws-ses", { AUTHFORM_MODE: "deploy", ...SES }, true],
    [
      "aws-ses without the secret key",
      "aws-ses",
      { AUTHFORM_MODE: "deploy", ...SES, AWS_SECRET_ACCESS_KEY: undefined },
      false,
    ],
    [
      "aws-ses without the region",
      "aws-ses",
      { AUTHFORM_MODE: "deploy", ...SES, AWS_SES_REGION: undefined },
      false,
    ],
    [
      "aws-ses without EMAIL_FROM",
      "aws-ses",
      { AUTHFORM_MODE: "deploy", ...SES, EMAIL_FROM: undefined },
      false,
    ],
  ])("%s → %s", async (_name, transport, env, configured) => {
    expect(await emailStatus(transport, env)).toEqual({ emailConfigured: configured });
  });

  it("answers with the flag only: no var names or values", async () => {
    const body = JSON.stringify(await emailStatus("aws-ses", { AUTHFORM_MODE: "deploy", ...SES }));
    expect(body).toBe('{"emailConfigured":true}');
  });
});

describe("emailSenderFor", () => {
  it("sends through the EMAIL binding when the plan chose cloudflare: the message as composed, from EMAIL_FROM", async () => {
    const sent: unknown[] = [];
    const EMAIL: SendEmail = {
      send: async (m: unknown) => {
        sent.push(m);
        return { messageId: "m-1" };
      },
    };
    const env = {
      ...base,
      AUTHFORM_MODE: "deploy",
      EMAIL,
      EMAIL_FROM: "noreply@acme.example",
      EMAIL_FROM_NAME: "Acme Accounts",
    } as WorkerEnv;
    await emailSenderFor(env, manifest("cloudflare")).send({
      kind: "otp",
      to: "ada@example.com",
      subject: "Your Acme sign-in code",
      text: "Your code is 123456.",
      html: "<p>Your code is <b>123456</b>.</p>",
    });
    expect(sent).toEqual([
      {
        from: { name: "Acme Accounts", email: "noreply@acme.example" },
        to: "ada@example.com",
        replyTo: "noreply@acme.example",
        subject: "Your Acme sign-in code",
        text: "Your code is 123456.",
        html: "<p>Your code is <b>123456</b>.</p>",
      },
    ]);
  });

  it("goes to SES when the plan chose aws-ses, and never drops mail it cannot send", async () => {
    const env = { ...base, AUTHFORM_MODE: "deploy" } as WorkerEnv;
    const message = { kind: "otp" as const, to: "ada@example.com", subject: "s", text: "t", html: "h" };
    await expect(emailSenderFor(env, manifest("aws-ses")).send(message)).rejects.toThrow(
      new EmailDeliveryError(
        "SES is not configured: set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SES_REGION, EMAIL_FROM.",
      ),
    );
    await expect(emailSenderFor(env, manifest("local-outbox")).send(message)).rejects.toBeInstanceOf(
      EmailDeliveryError,
    );
  });
});
