/**
 * A stage that ran passwords, re-run with the seed's magic-link example (which never mentions them):
 * --plan shows the sign-in method going and counts who it strands, the run stops before provisioning,
 * and it goes ahead with --allow-sign-in-removal or emailAndPassword: { enabled: false }.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { lastEmailSeq, linkIn, waitForEmail } from "../support/outbox.ts";
import { ROOT, type RunningStack, runProgram, startStack, uniqueStage } from "../support/stack.ts";
import { signUpUser, TEST_PASSWORD } from "../support/users.ts";

const stage = uniqueStage("signin-rm");
const PASSWORDS = ["--config", "test/fixtures/sign-in-removal-passwords.config.ts"];
const SILENT = ["--config", "test/fixtures/sign-in-removal-silent.config.ts"];
const OFF = ["--config", "test/fixtures/sign-in-removal-off.config.ts"];
let stack: RunningStack | undefined;

afterAll(async () => {
  await stack?.stop();
});

async function run(config: string[], port?: number): Promise<RunningStack> {
  await stack?.stop();
  stack = undefined;
  stack = await startStack(stage, { args: config, ...(port ? { port } : {}) });
  return stack;
}

const recordedSignIns = async () =>
  (JSON.parse(await readFile(path.join(ROOT, ".authform", `${stage}.json`), "utf8")) as { plugins: string[] })
    .plugins;

function passwordSignIn(url: string, email: string): Promise<Response> {
  return new Session(url).post("/auth/v1/sign-in/email", { email, password: TEST_PASSWORD });
}

describe("dropping password sign-in from a stage that had it", () => {
  it("is shown and counted by --plan, stopped unless asked for, and done with the flag or enabled: false", {
    timeout: 240_000,
  }, async () => {
    // 1. The stage with passwords: two password users, one of whom verified the address (so a magic
    // link still reaches them), the other not (an unverified address may not be theirs).
    const first = await run(PASSWORDS);
    const port = first.outputs.port;
    const verified = await signUpUser(first.url, "Verified", `verified-${stage}@example.com`);
    const passwordOnly = await signUpUser(first.url, "Pwonly", `pwonly-${stage}@example.com`);
    const after = await lastEmailSeq(stage);
    const sent = await verified.browser.post("/auth/v1/send-verification-email", { email: verified.email });
    expect(sent.status, await sent.clone().text()).toBe(200);
    const link = linkIn(await waitForEmail(stage, verified.email, { after }), "/auth/v1/verify-email");
    expect((await fetch(link, { redirect: "manual" })).status).toBe(302);
    await stack?.stop();
    stack = undefined;

    // 2. --plan with the config that never mentions passwords: the method goes, one user is stranded.
    const plan = await runProgram(["--plan", "--stage", stage, "--port", String(port), ...SILENT]);
    expect(plan.code, plan.output).toBe(0);
    expect(plan.output).toMatch(/Sign-in\s+magicLink\n/);
    expect(plan.output).toContain(
      "  - sign-in  emailAndPassword: 1 user with a password and no other way in (of 2 with a password)",
    );

    expect(plan.output).toContain("A run would stop here, before provisioning");
    // 3. The run itself stops before provisioning, naming both ways forward; the stage is unchanged.
    const stopped = await runProgram(["--stage", stage, "--port", String(port), ...SILENT]);
    expect(stopped.code, stopped.output).toBe(1);
    expect(stopped.output).toContain(`Stage ${stage} runs password sign-in`);
    expect(stopped.output).toContain("emailAndPassword: { enabled: true }");
    expect(stopped.output).toContain(
      "emailAndPassword: { enabled: false }, or re-run with --allow-sign-in-removal",
    );
    expect(await recordedSignIns()).toEqual(["emailAndPassword", "magicLink"]);

    // 4. With the flag: passwords are gone, the magic link still signs the verified user in.
    const dropped = await run([...SILENT, "--allow-sign-in-removal"], port);
    expect(dropped.outputs.plugins).toEqual(["magicLink"]);
    expect((await passwordSignIn(dropped.url, passwordOnly.email)).status).not.toBe(200);
    const status = (await (await fetch(`${dropped.url}/api/v1/system/status`)).json()) as {
      emailAndPassword: boolean;
    };
    expect(status.emailAndPassword).toBe(false);
    const before = await lastEmailSeq(stage);
    const asked = await new Session(dropped.url).post("/auth/v1/magic-link/send", { email: verified.email });
    expect(asked.status, await asked.clone().text()).toBe(200);
    const signInLink = linkIn(
      await waitForEmail(stage, verified.email, { after: before }),
      "/magic-link/verify",
    );
    const signedIn = await fetch(signInLink, { redirect: "manual" });
    expect(signedIn.headers.getSetCookie().some((c) => c.startsWith("better-auth.session_token="))).toBe(
      true,
    );

    // 5. Passwords back (the users kept their passwords), then dropped on purpose with enabled: false.
    const back = await run(PASSWORDS, port);
    expect((await passwordSignIn(back.url, passwordOnly.email)).status).toBe(200);
    const off = await run(OFF, port);
    expect(off.outputs.plugins).toEqual(["magicLink"]);
    expect((await passwordSignIn(off.url, passwordOnly.email)).status).not.toBe(200);
  });
});
