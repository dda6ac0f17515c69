/**
 * Email OTP and magic links through SES, end to end on workerd: the Worker signs a SES v2 SendEmail request, the
 * SES emulator (aws-ses-v2-local, which does not check signatures) receives the message, and a
 * loopback recorder in front of it keeps the raw request so the signature is checked here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOutbox } from "../../src/cli/outbox.ts";
import { Session } from "../support/http.ts";
import { type EmulatedEmail, type SesEmulator, startSesEmulator } from "../support/ses-emulator.ts";
import {
  headerOf,
  type RecordedSesRequest,
  recomputeAuthorization,
  type SesRecorder,
  startSesRecorder,
} from "../support/ses-recorder.ts";
import { localEnv, ROOT, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("ses");
const CONFIG = ["--config", "test/fixtures/ses.config.ts"];
const SES = {
  AWS_ACCESS_KEY_ID: "AKIASESSTACKTEST0001",
  AWS_SECRET_ACCESS_KEY: "ses-stack/test+SECRET0000000000000000",
  AWS_SES_REGION: "eu-west-1",
  EMAIL_FROM: "noreply@example.com",
  EMAIL_FROM_NAME: "Ses Test | Accounts",
  EMAIL_REPLY_TO: "help@example.com",
  APP_NAME: "SES Test",
};
/** Mail to this recipient is refused by "SES" (the recorder answers for it). */
const REFUSED = `refused-${stage}@example.com`;

let emulator: SesEmulator;
let recorder: SesRecorder;
let stack: RunningStack;

beforeAll(async () => {
  emulator = await startSesEmulator();
  recorder = await startSesRecorder({
    forwardTo: emulator.url,
    reply: (request) =>
      request.body.includes(REFUSED)
        ? {
            status: 400,
            headers: { "content-type": "application/json", "x-amzn-ErrorType": "MessageRejected" },
            body: JSON.stringify({ message: "Email address is not verified." }),
          }
        : undefined,
  });
  stack = await startStack(stage, {
    args: CONFIG,
    env: localEnv({ ...SES, AWS_SES_ENDPOINT: recorder.url }),
  });
});

afterAll(async () => {
  await stack?.stop();
  await recorder?.close();
  await emulator?.close();
});

async function emailTo(address: string): Promise<EmulatedEmail> {
  const found = (await emulator.emails()).filter((e) => e.destination.to.includes(address));
  expect(found, `emails to ${address}`).toHaveLength(1);
  return found[0] as EmulatedEmail;
}

async function sendCode(email: string, browser = new Session(stack.url)): Promise<void> {
  const sent = await browser.post("/auth/v1/email-otp/send-verification-otp", { email, type: "sign-in" });
  expect(sent.status, await sent.clone().text()).toBe(200);
}

describe("a local stack with email.provider 'aws-ses' and AWS_SES_ENDPOINT set", () => {
  it("sends through SES: a code sent now reaches SES for its recipient, signed, and not the local outbox", async () => {
    expect(stack.outputs.emailTransport).toBe("aws-ses");
    const email = `linus-${stage}@example.com`;
    const before = recorder.requests.length;
    await sendCode(email);
    const message = await emailTo(email);
    expect(message.destination).toEqual({ to: [email], cc: [], bcc: [] });
    expect(message.subject).toBe("Your SES Test sign-in code");
    expect(message.body.text).toMatch(/\b\d{6}\b/);
    const sent = recorder.requests.slice(before).filter((r) => r.path === "/v2/email/outbound-emails");
    expect(sent).toHaveLength(1);
    expect(headerOf(sent[0] as RecordedSesRequest, "authorization")).toMatch(/^AWS4-HMAC-SHA256 /);
    expect(await readOutbox(ROOT, stage)).toEqual([]);
  });

  it("reports email as configured", async () => {
    const res = await fetch(`${stack.url}/api/v1/system/email-status`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ emailConfigured: true });
  });

  it("delivers the sign-in code to SES with the right from, reply-to, subject and body, and the code signs in", async () => {
    const email = `ada-${stage}@example.com`;
    const browser = new Session(stack.url);
    await sendCode(email, browser);

    const message = await emailTo(email);
    expect(message.from).toBe('"Ses Test | Accounts" <noreply@example.com>');
    expect(message.replyTo).toEqual(["help@example.com"]);
    expect(message.subject).toBe("Your SES Test sign-in code");
    const code = message.body.text?.match(/\b(\d{6})\b/)?.[1] as string;
    expect(code, message.body.text).toMatch(/^\d{6}$/);
    expect(message.body.html).toContain(code);

    const signIn = await browser.post("/auth/v1/sign-in/email-otp", { email, otp: code });
    expect(signIn.status, await signIn.clone().text()).toBe(200);
    const session = (await (await browser.get("/auth/v1/get-session")).json()) as { user: { email: string } };
    expect(session.user.email).toBe(email);
  });

  it("delivers a magic link through SES, from the same sender, and the link signs in", async () => {
    const email = `mary-${stage}@example.com`;
    const sent = await new Session(stack.url).post("/auth/v1/magic-link/send", { email });
    expect(sent.status, await sent.clone().text()).toBe(200);

    const message = await emailTo(email);
    expect(message.from).toBe('"Ses Test | Accounts" <noreply@example.com>');
    expect(message.replyTo).toEqual(["help@example.com"]);
    // With emailOtp on too, the email carries the link and a code (docs/SEED-COVERAGE.md › "combo-auth").
    expect(message.subject).toMatch(/^Sign in to SES Test/);
    const link = message.body.text?.split(/\s+/).find((w) => w.includes("/auth/v1/magic-link/verify"));
    expect(link, message.body.text).toBeDefined();
    expect(message.body.html).toContain(new URL(link as string).searchParams.get("token"));
    expect(await readOutbox(ROOT, stage)).toEqual([]);

    const res = await fetch(link as string, { redirect: "manual" });
    expect(res.status).toBe(302);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("better-auth.session_token="));
    expect(cookie).toBeDefined();
    const session = await fetch(`${stack.url}/auth/v1/get-session`, {
      headers: { cookie: (cookie as string).split(";")[0] as string },
    });
    expect(((await session.json()) as { user: { email: string } }).user.email).toBe(email);
  });

  it("signs the request in the Worker so an independent signer (aws4fetch) computes the same Authorization", async () => {
    const before = recorder.requests.length;
    await sendCode(`grace-${stage}@example.com`);
    const request = recorder.requests.slice(before).find((r) => r.path === "/v2/email/outbound-emails");
    expect(request).toBeDefined();
    const authorization = headerOf(request as NonNullable<typeof request>, "authorization") as string;
    expect(authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIASESSTACKTEST0001\/\d{8}\/eu-west-1\/ses\/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    const recomputed = await recomputeAuthorization(request as NonNullable<typeof request>, {
      accessKeyId: SES.AWS_ACCESS_KEY_ID,
      secretAccessKey: SES.AWS_SECRET_ACCESS_KEY,
      region: SES.AWS_SES_REGION,
    });
    expect(recomputed).toBe(authorization);
  });

  it("answers a SES refusal with a clear 502, without the credentials or a stack", async () => {
    const res = await new Session(stack.url).post("/auth/v1/email-otp/send-verification-otp", {
      email: REFUSED,
      type: "sign-in",
    });
    const text = await res.text();
    expect(res.status, text).toBe(502);
    const body = JSON.parse(text) as { error: string; message: string };
    expect(body.error).toBe("email_delivery_failed");
    // Local mode tells the developer SES's reason.
    expect(body.message).toContain(
      "SES refused the email (HTTP 400 MessageRejected): Email address is not verified.",
    );
    expect(text).not.toContain(SES.AWS_ACCESS_KEY_ID);
    expect(text).not.toContain(SES.AWS_SECRET_ACCESS_KEY);
    expect(text).not.toMatch(/\n\s+at /);
    expect((await emulator.emails()).some((e) => e.destination.to.includes(REFUSED))).toBe(false);
    // ...and it is logged without secrets.
    expect(stack.logs()).toContain("MessageRejected");
    expect(stack.logs()).not.toContain(SES.AWS_SECRET_ACCESS_KEY);
  });
});
