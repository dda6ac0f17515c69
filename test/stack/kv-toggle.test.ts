/** Turning defineStorage("cloudflare-kv") on and off for a stage with live sessions: nobody is signed out, nothing is lost, nothing revoked comes back. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localKvFiles } from "../../src/provision/kv-namespace.ts";
import { localD1Files, localDatabaseId } from "../../src/provision/local-files.ts";
import { Session } from "../support/http.ts";
import { querySqlite, ROOT, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const APP = "kv-toggle-test";
const OFF = ["--config", "test/fixtures/kv-toggle-off.config.ts"];
const ON = ["--config", "test/fixtures/kv-toggle-on.config.ts"];
const stage = uniqueStage("kvtog");
let stack: RunningStack | undefined;
let port: number;

/** Users of the test, each with a browser that keeps its cookies across restarts. */
const early = new Map<string, Session>();
/** The Cookie header each user's sign-up set, to replay a session after it was signed out. */
const signUpCookies = new Map<string, string>();

beforeAll(async () => {
  stack = await startStack(stage, { args: OFF });
  port = Number(new URL(stack.url).port);
});

afterAll(async () => {
  await stack?.stop();
});

async function restartWith(args: string[]) {
  await stack?.stop();
  stack = await startStack(stage, { args, port });
  return stack;
}

function url(): string {
  if (!stack) throw new Error("no stack running");
  return stack.url;
}

async function signUp(label: string): Promise<Session> {
  const browser = new Session(url());
  const res = await browser.post("/auth/v1/sign-up/email", {
    name: label,
    email: `${label}-${stage}@example.com`,
    password: "correct horse battery",
  });
  expect(res.status).toBe(200);
  early.set(label, browser);
  signUpCookies.set(
    label,
    res.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; "),
  );
  return browser;
}

/** Who the browser is signed in as (null when signed out), and how many D1 statements that took. */
async function whoAmI(browser: Session): Promise<{ email: string | null; d1: number }> {
  const res = await browser.get("/auth/v1/get-session");
  const body = (await res.json()) as { user: { email: string } } | null;
  return { email: body?.user.email ?? null, d1: Number(res.headers.get("x-authform-d1-queries")) };
}

async function userCount(): Promise<number> {
  const id = await localDatabaseId(ROOT, APP, stage);
  const [file] = await localD1Files(ROOT, id as string);
  const [row] = await querySqlite<{ n: number }>(file as string, "SELECT count(*) AS n FROM user");
  return (row as { n: number }).n;
}

const emailOf = (label: string) => `${label}-${stage}@example.com`;

describe("turning KV on and off with live sessions", () => {
  it("D1 only: sessions are read from D1", async () => {
    await signUp("ken");
    const ada = await signUp("ada");
    const me = await whoAmI(ada);
    expect(me.email).toBe(emailOf("ada"));
    expect(me.d1).toBeGreaterThan(0);
    const status = (await (await fetch(`${url()}/api/v1/system/status`)).json()) as { storage: unknown };
    expect(status.storage).toMatchObject({ sessions: "d1", rateLimit: "d1" });
  });

  it("KV on: a session from before stays signed in (KV miss, D1 fallback); new sessions skip D1", async () => {
    await restartWith(ON);
    const status = (await (await fetch(`${url()}/api/v1/system/status`)).json()) as { storage: unknown };
    expect(status.storage).toMatchObject({ sessions: "workers-kv", rateLimit: "d1" });

    const before = await whoAmI(early.get("ada") as Session);
    expect(before.email).toBe(emailOf("ada"));
    expect(before.d1).toBeGreaterThan(0);

    const grace = await signUp("grace");
    expect(await whoAmI(grace)).toEqual({ email: emailOf("grace"), d1: 0 });
    await signUp("linus");
  });

  it('KV on: a session from before KV is listed and ended by "sign out other devices"', async () => {
    const laptop = early.get("ken") as Session;
    const phone = new Session(url());
    const signIn = await phone.post("/auth/v1/sign-in/email", {
      email: emailOf("ken"),
      password: "correct horse battery",
    });
    expect(signIn.status).toBe(200);
    early.set("ken-phone", phone);
    const listed = (await (await phone.get("/auth/v1/list-sessions")).json()) as unknown[];
    expect(listed).toHaveLength(2);
    expect((await phone.post("/auth/v1/revoke-other-sessions")).status).toBe(200);
    expect((await whoAmI(laptop)).email).toBeNull();
    expect((await whoAmI(phone)).email).toBe(emailOf("ken"));
  });

  it("KV off: everyone stays signed in, no user is lost, and the KV namespace is removed", async () => {
    await restartWith(OFF);
    for (const label of ["ada", "grace", "linus"]) {
      expect((await whoAmI(early.get(label) as Session)).email).toBe(emailOf(label));
    }
    expect((await whoAmI(early.get("ken-phone") as Session)).email).toBe(emailOf("ken"));
    expect((await whoAmI(early.get("ken") as Session)).email).toBeNull();
    expect(await userCount()).toBe(4);
    expect(await localKvFiles(ROOT, `${APP}-${stage}-kv`)).toEqual([]);
  });

  it("a session revoked while KV was off stays revoked when KV comes back", async () => {
    const linus = early.get("linus") as Session;
    const cookie = signUpCookies.get("linus") as string;
    expect(
      await (await fetch(`${url()}/auth/v1/get-session`, { headers: { cookie } })).json(),
    ).not.toBeNull();
    expect((await linus.post("/auth/v1/sign-out")).status).toBe(200);
    await restartWith(ON);
    const replay = await fetch(`${url()}/auth/v1/get-session`, { headers: { cookie } });
    expect(await replay.json()).toBeNull();
    // The others are still signed in, through the D1 fallback.
    expect((await whoAmI(early.get("grace") as Session)).email).toBe(emailOf("grace"));
    expect(await userCount()).toBe(4);
  });
});
