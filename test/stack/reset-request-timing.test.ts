/**
 * A reset request says nothing about which addresses have accounts, by its answer or by when it
 * comes: the answer for a known address does not wait for the email (an unknown one has none to
 * wait for). Proved by order of events, not by timing: the email transport holds every send until the
 * test releases it; the known address's answer completes while its email is still held, and the
 * email goes through on release.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HeldEmailTransport, startHeldEmailTransport } from "../support/held-email-transport.ts";
import { Session } from "../support/http.ts";
import { localEnv, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("reset-timing");
// email.provider "aws-ses", pointed at the holding stand-in; emailAndPassword and emailOtp on.
const CONFIG = ["--config", "test/fixtures/ses.config.ts"];
const PASSWORD = "correct horse battery";

let transport: HeldEmailTransport;
let stack: RunningStack;

beforeAll(async () => {
  transport = await startHeldEmailTransport();
  stack = await startStack(stage, {
    args: CONFIG,
    env: localEnv({
      AWS_ACCESS_KEY_ID: "AKIARESETTIMING00001",
      AWS_SECRET_ACCESS_KEY: "reset-timing/test+SECRET00000000000000",
      AWS_SES_REGION: "eu-west-1",
      EMAIL_FROM: "noreply@example.com",
      AWS_SES_ENDPOINT: transport.url,
    }),
  });
});

afterAll(async () => {
  transport?.release();
  await stack?.stop();
  await transport?.close();
});

let people = 0;
async function knownAddress(): Promise<string> {
  const email = `reset-${++people}-${stage}@example.com`;
  const res = await new Session(stack.url).post("/auth/v1/sign-up/email", {
    name: "r",
    email,
    password: PASSWORD,
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return email;
}

/** Whether a held send has been answered yet, without waiting for it. */
async function isAnswered(answered: Promise<void>): Promise<boolean> {
  return Promise.race([answered.then(() => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
}

describe.each([
  ["/request-password-reset", (email: string) => ({ email, redirectTo: "/reset" })],
  ["/email-otp/request-password-reset", (email: string) => ({ email })],
])("POST %s", (path, bodyFor) => {
  it("answers a known address while its email is still held, exactly as an unknown one, and the email goes out on release", async () => {
    const known = await knownAddress();
    const unknown = `nobody-${people}-${stage}@example.com`;

    const knownRes = await new Session(stack.url).post(`/auth/v1${path}`, bodyFor(known));
    // The answer is complete (body read) and the transport has not been let go: it did not wait.
    const knownBody = await knownRes.text();
    const send = await transport.arrival(known);
    expect(await isAnswered(send.answered), "the send was answered before the response").toBe(false);

    const unknownRes = await new Session(stack.url).post(`/auth/v1${path}`, bodyFor(unknown));
    expect(knownRes.status).toBe(200);
    expect(unknownRes.status).toBe(200);
    expect(knownBody).toBe(await unknownRes.text());

    // Nothing lost: released, the held send is accepted, and it was the only one for that address.
    transport.release();
    await send.answered;
    expect(transport.sends.filter((s) => s.to.includes(known))).toHaveLength(1);
    expect(transport.sends.filter((s) => s.to.includes(unknown))).toHaveLength(0);
  });
});
