/**
 * Secrets never appear in plain text: a stack run with known secret values (BETTER_AUTH_SECRET, AWS
 * keys for SES, a Cloudflare token for the plan) is searched everywhere a person or an attacker could
 * look — program output, response bodies and headers (success and failure), `.authform/` outputs,
 * the generated Worker and its bundle, `--plan` output, Alchemy state and Miniflare's files.
 */
import { randomBytes } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SesEmulator, startSesEmulator } from "../support/ses-emulator.ts";
import { headerOf, type SesRecorder, startSesRecorder } from "../support/ses-recorder.ts";
import { localEnv, ROOT, type RunningStack, runProgram, startStack, uniqueStage } from "../support/stack.ts";

const APP = "hardening-secrets";
const CONFIG = ["--config", "test/hardening/fixtures/secrets.config.ts"];
const stage = uniqueStage("secrets");
const tag = randomBytes(6).toString("hex");
const SECRETS = {
  BETTER_AUTH_SECRET: `ba-secret-${tag}-0123456789abcdefghijklmnop`,
  AWS_ACCESS_KEY_ID: `AKIA${tag.toUpperCase()}QZ`,
  AWS_SECRET_ACCESS_KEY: `aws/secret+${tag}Key0000000000000000`,
};
const VARS = { AWS_SES_REGION: "eu-west-1", EMAIL_FROM: "noreply@example.com", APP_NAME: "Secrets Test" };
/** Mail to this recipient is refused by "SES", so the failure path is searched too. */
const REFUSED = `refused-${stage}@example.com`;

let emulator: SesEmulator;
let recorder: SesRecorder;
let stack: RunningStack;
/** Everything the outside world got to see: status lines, headers and bodies. */
const seen: string[] = [];

/** The forms a secret could leak in: as is, URL-encoded, base64. */
function forms(value: string): string[] {
  return [value, encodeURIComponent(value), Buffer.from(value).toString("base64")];
}

function leaksIn(text: string): string[] {
  return Object.entries(SECRETS).flatMap(([name, value]) =>
    forms(value).some((form) => text.includes(form)) ? [name] : [],
  );
}

async function call(pathname: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set("origin", stack.url);
  headers.set("cf-connecting-ip", `192.0.2.${seen.length % 250}`);
  const res = await fetch(`${stack.url}${pathname}`, { ...init, headers, redirect: "manual" });
  const body = await res.text();
  seen.push(
    `${res.status} ${pathname}\n${[...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n")}\n\n${body}`,
  );
  return { status: res.status, body };
}

const postJson = (pathname: string, json: unknown) =>
  call(pathname, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(json),
  });

/** Every file under a directory (skipping big binaries), as [path, text]. */
async function filesUnder(dir: string): Promise<[string, string][]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const files: [string, string][] = [];
  for (const e of entries.filter((e) => e.isFile())) {
    const full = path.join(e.parentPath, e.name);
    if ((await stat(full)).size > 50_000_000) continue;
    files.push([path.relative(ROOT, full), await readFile(full, "latin1")]);
  }
  return files;
}

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
    env: localEnv({ ...SECRETS, ...VARS, AWS_SES_ENDPOINT: recorder.url }),
  });
});

afterAll(async () => {
  await stack?.stop();
  await recorder?.close();
  await emulator?.close();
});

describe("with known secret values", () => {
  it("uses them (so a clean search means something)", async () => {
    const user = { name: "Sam", email: `sam-${stage}@example.com`, password: "correct horse battery" };
    expect((await postJson("/auth/v1/sign-up/email", user)).status).toBe(200);
    // A code sent through SES: the Worker signed the request with the AWS keys.
    expect(
      (await postJson("/auth/v1/email-otp/send-verification-otp", { email: user.email, type: "sign-in" }))
        .status,
    ).toBe(200);
    const signed = recorder.requests.find((r) => r.body.includes(user.email));
    const authorization = (signed && headerOf(signed, "authorization")) ?? "";
    expect(authorization).toContain(`Credential=${SECRETS.AWS_ACCESS_KEY_ID}/`);
    // The search below finds a secret where one is: this header (which only SES sees) has the key id.
    expect(leaksIn(authorization)).toEqual(["AWS_ACCESS_KEY_ID"]);
  });

  it("keeps them out of every response, successful or failed", async () => {
    await postJson("/auth/v1/sign-in/email", {
      email: `sam-${stage}@example.com`,
      password: "wrong password",
    });
    await postJson("/auth/v1/email-otp/send-verification-otp", { email: REFUSED, type: "sign-in" });
    await call("/auth/v1/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{bad",
    });
    await postJson("/auth/v1/sign-up/email", { email: 7, password: [], name: {} });
    await call("/auth/v1/get-session", { headers: { cookie: "better-auth.session_token=forged.value" } });
    await call("/api/v1/me", { headers: { authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln" } });
    await call("/api/v1/system/status");
    await call("/api/v1/system/email-status");
    await call("/nowhere");
    const failed = seen.filter((s) => /^[45]\d\d /.test(s));
    expect(failed.length).toBeGreaterThanOrEqual(6);
    expect(seen.flatMap(leaksIn)).toEqual([]);
  });

  it("keeps them out of the program's output", () => {
    expect(stack.logs()).toContain("Serving until Ctrl-C.");
    expect(stack.logs()).toContain("not delivered"); // the refused email was reported...
    expect(leaksIn(stack.logs())).toEqual([]); // ...without the credentials
  });

  it("keeps them out of .authform/ (outputs, outbox, generated Worker and bundle)", async () => {
    const files = await filesUnder(path.join(ROOT, ".authform"));
    expect(files.some(([f]) => f.includes(stage))).toBe(true);
    expect(files.filter(([, text]) => leaksIn(text).length > 0).map(([f]) => f)).toEqual([]);
  });

  it("keeps them out of Alchemy's state and Miniflare's files", async () => {
    const files = [
      ...(await filesUnder(path.join(ROOT, ".alchemy", APP, stage))),
      ...(await filesUnder(path.join(ROOT, ".alchemy", "miniflare"))),
    ];
    const state = files.filter(([f]) => f.includes(`${APP}/${stage}`));
    // The generated secret's state file exists and holds the value encrypted, not in the clear.
    expect(state.map(([f]) => path.basename(f))).toEqual(expect.arrayContaining(["worker.json"]));
    expect(files.filter(([, text]) => leaksIn(text).length > 0).map(([f]) => f)).toEqual([]);
  });

  it("keeps them out of --plan, locally and for a deploy", async () => {
    const local = await runProgram(
      ["--plan", "--stage", stage, ...CONFIG],
      localEnv({ ...SECRETS, ...VARS }),
    );
    expect(local.code, local.output).toBe(0);
    expect(local.output).toContain("BETTER_AUTH_SECRET");
    expect(leaksIn(local.output)).toEqual([]);

    const token = `cf-token-${tag}`;
    const deploy = await runProgram(
      ["--plan", "--stage", `${stage}-prod`, ...CONFIG],
      localEnv({
        ...SECRETS,
        ...VARS,
        CLOUDFLARE_API_TOKEN: token,
        CLOUDFLARE_ACCOUNT_ID: "0123456789abcdef0123456789abcdef",
        ALCHEMY_PASSWORD: `alchemy-password-${tag}`,
        BETTER_AUTH_URL: "https://api.example.com",
      }),
    );
    expect(deploy.code, deploy.output).toBe(0);
    expect(deploy.output).toContain("https://api.example.com");
    expect(leaksIn(deploy.output)).toEqual([]);
    expect(deploy.output).not.toContain(token);
    expect(deploy.output).not.toContain(`alchemy-password-${tag}`);
  });
});
