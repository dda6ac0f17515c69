/** defineStorage("cloudflare-kv") on workerd: sessions served from Workers KV, kept across restarts, revoked at once. */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localKvFiles } from "../../src/provision/kv-namespace.ts";
import { localD1Files, localDatabaseId } from "../../src/provision/local-files.ts";
import { Session } from "../support/http.ts";
import { lastEmailSeq, linkIn, waitForEmail } from "../support/outbox.ts";
import {
  querySqlite,
  ROOT,
  type RunningStack,
  runProgram,
  startStack,
  uniqueStage,
} from "../support/stack.ts";

const APP = "kv-test";
const CONFIG = ["--config", "test/fixtures/kv.config.ts"];
const stage = uniqueStage("kv");
const KV_NAME = `${APP}-${stage}-kv`;
let stack: RunningStack;
let port: number;

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  port = Number(new URL(stack.url).port);
});

afterAll(async () => {
  await stack?.stop();
});

/** D1 statements the Worker ran for a response (the fixture sets AUTHFORM_COUNT_D1_QUERIES). */
function d1Queries(res: Response): number {
  const value = res.headers.get("x-authform-d1-queries");
  if (value === null) throw new Error("the response carries no D1 query count");
  return Number(value);
}

async function d1(sql: string) {
  const id = await localDatabaseId(ROOT, APP, stage);
  const [file] = await localD1Files(ROOT, id as string);
  return querySqlite(file as string, sql);
}

async function signUp(label: string) {
  const browser = new Session(stack.url);
  const res = await browser.post("/auth/v1/sign-up/email", {
    name: label,
    email: `${label}-${stage}@example.com`,
    password: "correct horse battery",
  });
  expect(res.status).toBe(200);
  return browser;
}

/** The cookies a response set, as a request's Cookie header (to replay a signed-out session). */
function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
}

describe("sessions in Workers KV", () => {
  it("reports KV as the store of sessions, and D1 as the store of rate limits", async () => {
    const res = await fetch(`${stack.url}/api/v1/system/status`);
    expect(await res.json()).toMatchObject({
      storage: { sessions: "workers-kv", rateLimit: "d1", d1Reads: "sessions-api" },
    });
  });

  it("serves get-session from KV with zero D1 queries, and keeps a copy of the session in D1", async () => {
    const browser = await signUp("ada");
    const res = await browser.get("/auth/v1/get-session");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: { email: string }; session: { token: string } };
    expect(body.user.email).toBe(`ada-${stage}@example.com`);
    expect(d1Queries(res)).toBe(0);
    // The counter is live: the sign-up itself wrote to D1.
    expect(d1Queries(await browser.post("/auth/v1/sign-out"))).toBeGreaterThan(0);
    expect(await d1(`SELECT token FROM session WHERE token = '${body.session.token}'`)).toEqual([]);
  });

  it("D1 holds every session created with KV on (so turning KV off signs nobody out)", async () => {
    const browser = await signUp("grace");
    const { session } = (await (await browser.get("/auth/v1/get-session")).json()) as {
      session: { token: string };
    };
    expect(await d1(`SELECT token FROM session WHERE token = '${session.token}'`)).toHaveLength(1);
  });

  it("shows a profile change in get-session at once: Better Auth refreshes the KV copies", async () => {
    const browser = await signUp("margaret");
    const other = new Session(stack.url);
    await other.post("/auth/v1/sign-in/email", {
      email: `margaret-${stage}@example.com`,
      password: "correct horse battery",
    });
    expect((await browser.post("/auth/v1/update-user", { name: "Margaret H." })).status).toBe(200);
    for (const device of [browser, other]) {
      const res = await device.get("/auth/v1/get-session");
      expect(((await res.json()) as { user: { name: string } }).user.name).toBe("Margaret H.");
      expect(d1Queries(res)).toBe(0);
    }
  });

  it("ends a session at once on sign-out: get-session is null right after, in KV and D1", async () => {
    const browser = new Session(stack.url);
    const signedIn = await browser.post("/auth/v1/sign-up/email", {
      name: "Linus",
      email: `linus-${stage}@example.com`,
      password: "correct horse battery",
    });
    const cookie = cookiesOf(signedIn);
    expect(
      await (await fetch(`${stack.url}/auth/v1/get-session`, { headers: { cookie } })).json(),
    ).not.toBeNull();
    expect((await browser.post("/auth/v1/sign-out")).status).toBe(200);
    // Replay the old cookie: the session is gone from KV (and D1), not just from the browser.
    const replay = await fetch(`${stack.url}/auth/v1/get-session`, { headers: { cookie } });
    expect(await replay.json()).toBeNull();
  });

  it("counts sign-in attempts in D1 even with KV: the 11th wrong password within a minute is refused with 429", async () => {
    await signUp("mallory");
    // One guess per account: an account's own limit (D1, test/hardening/account-limits.test.ts) would slow a sixth.
    const attempt = (i: number) =>
      fetch(`${stack.url}/auth/v1/sign-in/email`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: stack.url,
          "cf-connecting-ip": "198.51.100.7",
        },
        body: JSON.stringify({
          email: i === 0 ? `mallory-${stage}@example.com` : `mallory-${i}-${stage}@example.com`,
          password: "wrong-wrong-wrong",
        }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await attempt(i)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    // KV cannot count atomically, so the counter is a D1 row (docs/RELIABILITY.md, Concurrency guarantees).
    expect(await d1(`SELECT count FROM rateLimit WHERE key = '198.51.100.7|/sign-in/email'`)).toEqual([
      { count: 10 },
    ]);
  });

  it("keeps verification values in KV and D1: a reset link works once, then never again", async () => {
    await signUp("ida");
    const email = `ida-${stage}@example.com`;
    const browser = new Session(stack.url);
    const after = await lastEmailSeq(stage);
    expect(
      (await browser.post("/auth/v1/request-password-reset", { email, redirectTo: "/reset" })).status,
    ).toBe(200);
    const link = new URL(linkIn(await waitForEmail(stage, email, { after }), "/auth/v1/reset-password/"));
    const token = link.pathname.split("/").at(-1) as string;
    // Written to D1 as well (verification.storeInDatabase): consuming it is atomic there.
    expect(await d1(`SELECT id FROM verification WHERE identifier = 'reset-password:${token}'`)).toHaveLength(
      1,
    );

    const reset = () =>
      browser.post("/auth/v1/reset-password", { newPassword: "a brand new passphrase", token });
    expect((await reset()).status).toBe(200);
    expect((await reset()).status).toBe(400);
    const signIn = await browser.post("/auth/v1/sign-in/email", {
      email,
      password: "a brand new passphrase",
    });
    expect(signIn.status).toBe(200);
  });

  it("hands back a D1 bookmark after a write (cookie and x-d1-bookmark) and ignores a malformed one", async () => {
    const res = await new Session(stack.url).post("/auth/v1/sign-up/email", {
      name: "Edsger",
      email: `edsger-${stage}@example.com`,
      password: "correct horse battery",
    });
    const bookmark = res.headers.get("x-d1-bookmark");
    expect(bookmark).toMatch(/^[0-9a-f]+(-[0-9a-f]+)*$/);
    expect(res.headers.getSetCookie().join("\n")).toContain(`authform_d1_bookmark=${bookmark};`);

    const odd = await fetch(`${stack.url}/auth/v1/get-session`, {
      headers: { "x-d1-bookmark": "'; drop table user; --", cookie: cookiesOf(res) },
    });
    expect(odd.status).toBe(200);
    expect(((await odd.json()) as { user: { name: string } }).user.name).toBe("Edsger");
  });

  it("keeps sessions in KV across a restart of the local stack (same stage)", async () => {
    const browser = await signUp("barbara");
    await stack.stop();
    stack = await startStack(stage, { args: CONFIG, port });
    const res = await browser.get("/auth/v1/get-session");
    expect(((await res.json()) as { user: { email: string } }).user.email).toBe(
      `barbara-${stage}@example.com`,
    );
    // Served by KV, not by the D1 fallback.
    expect(d1Queries(res)).toBe(0);
  });

  it("--destroy removes the local KV namespace with the stage, also one provisioned before authform's KV resource", async () => {
    expect(await localKvFiles(ROOT, KV_NAME)).not.toEqual([]);
    await stack.stop();
    // A stage provisioned by an earlier authform holds Alchemy's own kind in state, whose local
    // delete leaves the data (src/provision/kv-namespace.ts): make this stage one of those.
    const stateFile = path.join(ROOT, ".alchemy", APP, stage, `${KV_NAME}.json`);
    const state = await readFile(stateFile, "utf8");
    expect(state).toContain('"authform::KVNamespace"');
    await writeFile(stateFile, state.replaceAll('"authform::KVNamespace"', '"cloudflare::KVNamespace"'));
    const destroyed = await runProgram(["--destroy", "--stage", stage, ...CONFIG]);
    expect(destroyed.code, destroyed.output).toBe(0);
    expect(await localKvFiles(ROOT, KV_NAME)).toEqual([]);
  });
});
