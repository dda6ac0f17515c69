/** The quick start, end to end: `bun alchemy.run.ts` on workerd with D1, as a user meets it. */
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localD1Files, localDatabaseId, stateDir } from "../../src/provision/local-files.ts";
import { Session } from "../support/http.ts";
import { BUN, runToCompletion } from "../support/program-process.ts";
import { localEnv, querySqlite, ROOT, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const APP = "authform"; // the name in quickback.config.ts
const stage = uniqueStage("found");
const otherStage = uniqueStage("other");
let stack: RunningStack;
const user = { name: "Ada", email: `ada-${stage}@example.com`, password: "correct horse battery" };

beforeAll(async () => {
  stack = await startStack(stage);
});

afterAll(async () => {
  await stack?.stop();
});

describe("a fresh local stack", () => {
  it("writes its outputs for scripts and tests", () => {
    expect(stack.outputs).toMatchObject({
      app: APP,
      stage,
      mode: "local",
      url: expect.stringMatching(/^http:\/\/localhost:\d+$/),
      plugins: ["emailAndPassword"],
      emailTransport: "local-outbox",
    });
    expect(stack.outputs.accountUrl).toBe(stack.url);
    expect(stack.logs()).toContain(`URL       ${stack.url}`);
  });

  it("signs up, signs in, reads the session and signs out over HTTP", async () => {
    const browser = new Session(stack.url);
    const signUp = await browser.post("/auth/v1/sign-up/email", user);
    expect(signUp.status).toBe(200);
    expect(((await signUp.json()) as { user: { email: string } }).user.email).toBe(user.email);
    await browser.post("/auth/v1/sign-out");

    const signIn = await browser.post("/auth/v1/sign-in/email", {
      email: user.email,
      password: user.password,
    });
    expect(signIn.status).toBe(200);
    const session = (await (await browser.get("/auth/v1/get-session")).json()) as { user: { email: string } };
    expect(session.user.email).toBe(user.email);

    expect((await browser.post("/auth/v1/sign-out")).status).toBe(200);
    expect(await (await browser.get("/auth/v1/get-session")).json()).toBeNull();
  });

  it("refuses a wrong password", async () => {
    const res = await new Session(stack.url).post("/auth/v1/sign-in/email", {
      email: user.email,
      password: "nope-nope-nope",
    });
    expect(res.status).toBe(401);
  });

  it("answers bad JSON with a 400 that says so, and unknown routes with a JSON 404", async () => {
    const bad = await fetch(`${stack.url}/auth/v1/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: stack.url },
      body: "{not json",
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: "bad_request",
      message: "The request body is not valid JSON.",
    });

    const missing = await fetch(`${stack.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: "not_found" });
  });

  it("keeps a second stage's users apart", async () => {
    const other = await startStack(otherStage);
    try {
      expect(other.url).not.toBe(stack.url);
      const visitor = new Session(other.url);
      const signIn = await visitor.post("/auth/v1/sign-in/email", {
        email: user.email,
        password: user.password,
      });
      expect(signIn.status).toBe(401);
      const signUp = await visitor.post("/auth/v1/sign-up/email", user);
      expect(signUp.status).toBe(200);
      // Same config and sources as the first stage: its Worker runs the bundle the first stage's
      // build shared (src/provision/shared-bundle-cache.ts), so no esbuild pass wrote one of its own.
      expect(existsSync(path.join(ROOT, ".authform", "generated", otherStage, "bundle", "worker.js"))).toBe(
        false,
      );
      expect(await readFile(path.join(ROOT, ".authform", "generated", otherStage, "worker.ts"), "utf8")).toBe(
        await readFile(path.join(ROOT, ".authform", "generated", stage, "worker.ts"), "utf8"),
      );
    } finally {
      await other.stop();
    }
  });
});

describe("running it again", () => {
  it("keeps the data and does not re-apply migrations", async () => {
    await stack.stop();
    stack = await startStack(stage, { port: stack.outputs.port });
    const signIn = await new Session(stack.url).post("/auth/v1/sign-in/email", {
      email: user.email,
      password: user.password,
    });
    expect(signIn.status).toBe(200);

    const databaseId = (await localDatabaseId(ROOT, APP, stage)) as string;
    const [file] = await localD1Files(ROOT, databaseId).then((files) =>
      files.filter((f) => f.endsWith(".sqlite")),
    );
    const applied = await querySqlite<{ name: string }>(file as string, "SELECT name FROM d1_migrations");
    expect(applied.length).toBeGreaterThan(0);
    expect(new Set(applied.map((m) => m.name)).size).toBe(applied.length);
    const users = await querySqlite(file as string, `SELECT id FROM user WHERE email = '${user.email}'`);
    expect(users).toHaveLength(1);
  });
});

describe("--destroy", () => {
  it("removes the stage's state, database and outputs, and nothing of another stage, starting no workerd", async () => {
    await stack.stop();
    const databaseId = (await localDatabaseId(ROOT, APP, stage)) as string;
    expect(databaseId).toBeTruthy();
    const otherDatabase = (await localDatabaseId(ROOT, APP, otherStage)) as string;

    // strace records every program the destroy starts (-f follows children).
    const trace = path.join(os.tmpdir(), `authform-${stage}-destroy.strace`);
    const strace = ["strace", "-f", "-qq", "-e", "trace=execve", "-o", trace];
    const result = await runToCompletion([...strace, BUN, "alchemy.run.ts", "--destroy", "--stage", stage], {
      env: localEnv(),
      timeoutMs: 100_000,
    });
    const started = await readFile(trace, "utf8").finally(() => rm(trace, { force: true }));
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`Stage ${stage} destroyed`);
    expect(existsSync(stateDir(ROOT, APP, stage))).toBe(false);
    expect(await localD1Files(ROOT, databaseId)).toEqual([]);
    expect(existsSync(path.join(ROOT, ".authform", `${stage}.json`))).toBe(false);
    expect(existsSync(path.join(ROOT, ".authform", "generated", stage))).toBe(false);
    // No workerd started to migrate the database it is deleting (Alchemy 0.94 did: database.ts).
    expect(started).toContain("execve("); // strace saw the program start at all
    expect(started).not.toContain("workerd");

    expect(existsSync(stateDir(ROOT, APP, otherStage))).toBe(true);
    expect((await localD1Files(ROOT, otherDatabase)).length).toBeGreaterThan(0);
  });
});
