/**
 * The default deploy transport in workerd: the uploaded deploy-mode bundle on Miniflare mails sign-in
 * codes and magic links through the real send_email binding its upload declared, and they sign in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeploymentPlan } from "../../src/plan/types.ts";
import { CloudflareApiStandIn } from "../support/cloudflare-api/index.ts";
import { Session } from "../support/http.ts";
import { runUploadedWorker, type UploadedWorker } from "../support/run-uploaded-worker.ts";
import type { StoredEmail } from "../support/send-email-binding-log.ts";
import type { SentEmail } from "../support/send-email-tap.ts";
import { uniqueStage } from "../support/stack.ts";
import { API_URL, deploy, deployEnv, destroy, planFor } from "./deploy-support.ts";

const CONFIG = "test/fixtures/deploy-bundle.config.ts";
// What test/fixtures/deploy-bundle.config.ts sets.
const FROM = { name: "Bundle Lab Accounts", email: "noreply@bundle.example" };
const FROM_HEADER = '"Bundle Lab Accounts" <noreply@bundle.example>';
const REPLY_TO = "help@bundle.example";
const stage = uniqueStage("bundlemail");
let api: CloudflareApiStandIn;
let env: NodeJS.ProcessEnv;
let plan: DeploymentPlan;
let worker: UploadedWorker;

beforeAll(async () => {
  api = await CloudflareApiStandIn.start();
  env = deployEnv(api);
  plan = await planFor(CONFIG, env, stage);
  const run = await deploy(stage, CONFIG, env);
  if (run.code !== 0) throw new Error(`deploy failed:\n${run.output}`);
  const script = api.workers.get(plan.names.worker);
  if (!script) throw new Error(`the deploy uploaded no Worker named ${plan.names.worker}`);
  worker = await runUploadedWorker(script);
});

afterAll(async () => {
  await worker?.dispose();
  if (api) await destroy(stage, CONFIG, env);
  await api?.close();
});

const browser = () => new Session(API_URL, undefined, worker.fetch);
const address = (label: string) => `${label}-${stage}@example.com`;

/** The next message to `to` that reaches the binding after the first `after` calls. */
async function nextEmail(to: string, after: number): Promise<SentEmail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = worker.sentEmails.slice(after).find((e) => e.message.to === to);
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`no email to ${to}; the binding got: ${JSON.stringify(worker.sentEmails)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The same message as Miniflare's binding rendered its headers and stored its two parts. */
async function storedBy(sent: SentEmail): Promise<StoredEmail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const all = await worker.storedEmails();
    const found = all.find((e) => e.to === sent.message.to && e.subject === sent.message.subject);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`the binding stored nothing to ${sent.message.to}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function codeIn(text: string | undefined): string {
  const code = /\b(\d{6})\b/.exec(text ?? "")?.[1];
  if (!code) throw new Error(`no 6-digit code in: ${text}`);
  return code;
}

function linkIn(text: string | undefined, pathPart: string): string {
  const link = (text ?? "").split(/\s+/).find((w) => w.startsWith("https://") && w.includes(pathPart));
  if (!link) throw new Error(`no link to ${pathPart} in: ${text}`);
  return link;
}

describe("sign-in codes through the send_email binding", () => {
  it("reach the binding from the named sender, to the user, replying to EMAIL_REPLY_TO, code in both parts", async () => {
    const email = address("otp");
    const after = worker.sentEmails.length;
    const res = await browser().post("/auth/v1/email-otp/send-verification-otp", { email, type: "sign-in" });
    expect(res.status, await res.clone().text()).toBe(200);
    const sent = await nextEmail(email, after);
    expect(sent.binding).toBe("EMAIL");
    // The binding accepted it, as Cloudflare would: it answered with a message id.
    expect(sent.error).toBeUndefined();
    expect(sent.messageId).toMatch(/^<.+@bundle\.example>$/);
    expect(sent.message).toMatchObject({
      from: FROM,
      to: email,
      replyTo: REPLY_TO,
      subject: "Your Bundle Lab sign-in code",
    });
    const code = codeIn(sent.message.text);
    expect(sent.message.html).toContain(code);
    expect(sent.message.html).toMatch(/^<!doctype html>/i);
    // The binding's side: the headers it rendered, both parts as it stored them.
    expect(await storedBy(sent)).toEqual({
      from: FROM_HEADER,
      to: email,
      subject: "Your Bundle Lab sign-in code",
      text: sent.message.text,
      html: sent.message.html,
    });
  });

  it("sign the user in with the code from the email, and the session holds", async () => {
    const email = address("otp-in");
    const phone = browser();
    const after = worker.sentEmails.length;
    await phone.post("/auth/v1/email-otp/send-verification-otp", { email, type: "sign-in" });
    const code = codeIn((await nextEmail(email, after)).message.text);
    const res = await phone.post("/auth/v1/sign-in/email-otp", { email, otp: code });
    expect(res.status, await res.clone().text()).toBe(200);
    const session = await phone.get("/auth/v1/get-session");
    expect(((await session.json()) as { user: { email: string } }).user.email).toBe(email);
  });
});

describe("magic links through the send_email binding", () => {
  it("reach the binding with the link (and the code) in the text and the HTML", async () => {
    const email = address("link");
    const after = worker.sentEmails.length;
    const res = await browser().post("/auth/v1/magic-link/send", { email, callbackURL: "/home" });
    expect(res.status, await res.clone().text()).toBe(200);
    const sent = await nextEmail(email, after);
    expect(sent.error).toBeUndefined();
    expect(sent.message).toMatchObject({
      from: FROM,
      to: email,
      replyTo: REPLY_TO,
      subject: "Sign in to Bundle Lab: your link and code",
    });
    const link = linkIn(sent.message.text, "/auth/v1/magic-link/verify");
    expect(link.startsWith(`${API_URL}/auth/v1/magic-link/verify?`)).toBe(true);
    expect(sent.message.html).toContain(link.replace(/&/g, "&amp;"));
    expect(sent.message.html).toContain(codeIn(sent.message.text));
    expect(await storedBy(sent)).toEqual({
      from: FROM_HEADER,
      to: email,
      subject: "Sign in to Bundle Lab: your link and code",
      text: sent.message.text,
      html: sent.message.html,
    });
  });

  it("sign the user in when opened, once, and the session holds", async () => {
    const email = address("link-in");
    const after = worker.sentEmails.length;
    await browser().post("/auth/v1/magic-link/send", { email, callbackURL: "/home" });
    const link = linkIn((await nextEmail(email, after)).message.text, "/auth/v1/magic-link/verify");
    const laptop = browser();
    const opened = await laptop.get(link);
    expect(opened.status).toBe(302);
    expect(opened.headers.get("location")).toBe(`${API_URL}/home`);
    const session = await laptop.get("/auth/v1/get-session");
    expect(((await session.json()) as { user: { email: string } }).user.email).toBe(email);
    const again = await browser().get(link);
    expect(new URL(again.headers.get("location") as string).searchParams.get("error")).toBe("INVALID_TOKEN");
  });
});
