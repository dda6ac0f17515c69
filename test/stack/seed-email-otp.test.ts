/**
 * The seed's "Email OTP (with AWS SES)" sample run as written: its config (import from
 * "@quickback/compiler", its vars) with the SES opt-in, its two endpoints, its readiness check, and
 * the SES section's defaults (sender name, reply-to = EMAIL_FROM, APP_NAME in the subject), against
 * a local SES v2 emulator.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOutbox } from "../../src/cli/outbox.ts";
import { Session } from "../support/http.ts";
import { type EmulatedEmail, type SesEmulator, startSesEmulator } from "../support/ses-emulator.ts";
import { localEnv, ROOT, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("seedotp");
const CONFIG = ["--config", "test/fixtures/seed-email-otp.config.ts"];
/** The seed's secrets ("use Wrangler secrets for credentials"): from the environment, never the config. */
const SECRETS = {
  AWS_ACCESS_KEY_ID: "AKIASEEDSTACKTEST001",
  AWS_SECRET_ACCESS_KEY: "seed-stack/test+SECRET000000000000000",
};

let emulator: SesEmulator;
let stack: RunningStack;

beforeAll(async () => {
  emulator = await startSesEmulator();
  stack = await startStack(stage, {
    args: CONFIG,
    env: localEnv({ ...SECRETS, AWS_SES_ENDPOINT: emulator.url }),
  });
});

afterAll(async () => {
  await stack?.stop();
  await emulator?.close();
});

async function emailTo(address: string): Promise<EmulatedEmail> {
  const found = (await emulator.emails()).filter((e) => e.destination.to.includes(address));
  expect(found, `emails to ${address}`).toHaveLength(1);
  return found[0] as EmulatedEmail;
}

async function sendCode(browser: Session, email: string): Promise<string> {
  const sent = await browser.post("/auth/v1/email-otp/send-verification-otp", { email, type: "sign-in" });
  expect(sent.status, await sent.clone().text()).toBe(200);
  expect(await sent.json()).toEqual({ success: true });
  const text = (await emailTo(email)).body.text ?? "";
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  expect(code, text).toMatch(/^\d{6}$/);
  return code as string;
}

describe("the seed's Email OTP sample config", () => {
  it('deploys as written, "@quickback/compiler" import included, and sends through SES', async () => {
    // The stack above was started from this file, whose import line is the seed's.
    const config = await readFile(path.join(ROOT, "test/fixtures/seed-email-otp.config.ts"), "utf8");
    expect(config).toMatch(/^import \{[^}]*\} from "@quickback\/compiler";$/m);
    expect(stack.outputs.emailTransport).toBe("aws-ses");

    // A code sent now reaches SES, addressed to the person, with the code in its body...
    const email = `linus-${stage}@example.com`;
    const sentAt = Math.floor(Date.now() / 1000);
    const code = await sendCode(new Session(stack.url), email);
    const message = await emailTo(email);
    expect(message.destination).toEqual({ to: [email], cc: [], bcc: [] });
    expect(message.at).toBeGreaterThanOrEqual(sentAt - 1);
    expect(message.body.html).toContain(code);
    // ...and not the local outbox, which a stack without SES would have used.
    expect(await readOutbox(ROOT, stage)).toEqual([]);
  });

  it("GET /api/v1/system/email-status answers { emailConfigured: true }", async () => {
    const res = await fetch(`${stack.url}/api/v1/system/email-status`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ emailConfigured: true });
  });

  it("send-verification-otp mails the code as EMAIL_FROM_NAME <EMAIL_FROM>, reply-to EMAIL_FROM, APP_NAME in the subject", async () => {
    const email = `ada-${stage}@example.com`;
    await sendCode(new Session(stack.url), email);
    const message = await emailTo(email);
    expect(message.from).toBe('"Your App | Account Services" <noreply@yourdomain.com>');
    // EMAIL_REPLY_TO is not set: it defaults to EMAIL_FROM.
    expect(message.replyTo).toEqual(["noreply@yourdomain.com"]);
    expect(message.subject).toBe("Your Your App sign-in code");
  });

  it("POST /auth/v1/email-otp/verify-otp with { email, otp } signs in, once", async () => {
    const email = `grace-${stage}@example.com`;
    const browser = new Session(stack.url);
    const otp = await sendCode(browser, email);

    const res = await browser.post("/auth/v1/email-otp/verify-otp", { email, otp });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({
      token: expect.any(String),
      user: { email, emailVerified: true },
    });
    const session = (await (await browser.get("/auth/v1/get-session")).json()) as { user: { email: string } };
    expect(session.user.email).toBe(email);

    const replay = await new Session(stack.url).post("/auth/v1/email-otp/verify-otp", { email, otp });
    expect(replay.status).toBe(400);
  });
});
