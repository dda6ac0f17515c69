/** API keys on workerd: created once, stored hashed, read from x-api-key or ?api_key= / ?key= (header wins), revoked for good, rate limited as configured. */
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localD1File } from "../support/local-d1.ts";
import { querySqlite, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";
import { signUpUser, type TestUser } from "../support/users.ts";

const APP = "api-key-test";
const stage = uniqueStage("apikey");
const CONFIG = ["--config", "test/fixtures/api-key.config.ts"];
let stack: RunningStack;
let db: string;

type User = TestUser;
interface CreatedKey {
  id: string;
  key: string;
  start: string | null;
  name: string | null;
}

let alice: User;
let bob: User;

const signUp = (name: string): Promise<User> => signUpUser(stack.url, name);

async function createKey(user: User, body: Record<string, unknown> = {}): Promise<CreatedKey> {
  const res = await user.browser.post("/auth/v1/api-key/create", body);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as CreatedKey;
}

/** get-session as a script would call it: no cookie, no Origin, just the key. */
function getSession(key: { header?: string; query?: string }) {
  const url = new URL("/auth/v1/get-session", stack.url);
  if (key.query) url.search = key.query;
  return fetch(url, { headers: key.header ? { "x-api-key": key.header } : {} });
}

async function sessionUser(res: Response): Promise<string | undefined> {
  const body = (await res.json()) as { user?: { id: string } } | null;
  return body?.user?.id;
}

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  db = await localD1File(APP, stage);
  alice = await signUp("Alice");
  bob = await signUp("Bob");
});

afterAll(async () => {
  await stack?.stop();
});

describe("apiKey plugin", () => {
  it("returns the secret once at creation and stores only its SHA-256 hash", async () => {
    const created = await createKey(alice, { name: "nightly-cron" });
    expect(created.key).toMatch(/^[A-Za-z]{64}$/);
    expect(created.name).toBe("nightly-cron");

    const list = await alice.browser.get("/auth/v1/api-key/list");
    expect(list.status).toBe(200);
    const listed = await list.text();
    expect(listed).toContain(created.id);
    expect(listed).not.toContain(created.key);

    const [row] = await querySqlite<{ key: string; referenceId: string }>(
      db,
      `SELECT key, referenceId FROM apikey WHERE id = '${created.id}'`,
    );
    expect(row?.referenceId).toBe(alice.id);
    expect(row?.key).not.toContain(created.key);
    expect(row?.key).toBe(createHash("sha256").update(created.key).digest("base64url"));
  });

  it("lists only the caller's own keys", async () => {
    const mine = await createKey(bob, { name: "bob-only" });
    const aliceList = await (await alice.browser.get("/auth/v1/api-key/list")).text();
    expect(aliceList).not.toContain(mine.id);
    expect(await (await bob.browser.get("/auth/v1/api-key/list")).text()).toContain(mine.id);
    expect((await fetch(`${stack.url}/auth/v1/api-key/list`)).status).toBe(401);
  });

  it.each([
    ["the x-api-key header", (key: string) => ({ header: key })],
    ["?api_key=", (key: string) => ({ query: `api_key=${key}` })],
    ["?key=", (key: string) => ({ query: `key=${key}` })],
  ])("authenticates get-session as the key's owner via %s", async (_how, carry) => {
    const { key } = await createKey(alice);
    const res = await getSession(carry(key));
    expect(res.status).toBe(200);
    expect(await sessionUser(res)).toBe(alice.id);
  });

  it.each([
    ["the x-api-key header", (key: string) => ({ url: "/api/v1/me", headers: { "x-api-key": key } })],
    ["?api_key=", (key: string) => ({ url: `/api/v1/me?api_key=${key}`, headers: {} })],
    ["?key=", (key: string) => ({ url: `/api/v1/me?key=${key}`, headers: {} })],
  ])("authenticates /api/v1 as the key's owner via %s (the seed's three forms)", async (_how, carry) => {
    const { key } = await createKey(alice);
    const { url, headers } = carry(key);
    const res = await fetch(new URL(url, stack.url), { headers });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ userId: alice.id, authMethod: "api-key" });
  });

  it("prefers the header when a request carries a key in both header and query", async () => {
    const aliceKey = await createKey(alice);
    const bobKey = await createKey(bob);
    const both = await getSession({ header: aliceKey.key, query: `api_key=${bobKey.key}` });
    expect(await sessionUser(both)).toBe(alice.id);
    const bothKey = await getSession({ header: bobKey.key, query: `key=${aliceKey.key}` });
    expect(await sessionUser(bothKey)).toBe(bob.id);

    const me = await fetch(`${stack.url}/api/v1/me?api_key=${bobKey.key}`, {
      headers: { "x-api-key": aliceKey.key },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ userId: alice.id, authMethod: "api-key" });
  });

  it("reads an empty ?api_key= as absent, on /api/v1 as on Better Auth's endpoints", async () => {
    const { key } = await createKey(alice);
    expect(await sessionUser(await getSession({ query: `api_key=&key=${key}` }))).toBe(alice.id);
    const me = await fetch(`${stack.url}/api/v1/me?api_key=&key=${key}`);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ userId: alice.id, authMethod: "api-key" });
  });

  it("answers 401 to a wrong key, whatever its shape, and to a key in the wrong place", async () => {
    const unknown = randomBytes(48).toString("base64url").replace(/[-_]/g, "a").slice(0, 64);
    for (const key of [unknown, "short", `${unknown}x`]) {
      const res = await getSession({ header: key });
      expect(res.status, key).toBe(401);
      expect(await res.json()).toMatchObject({ code: "INVALID_API_KEY" });
    }
    const me = await fetch(`${stack.url}/api/v1/me`, { headers: { "x-api-key": unknown } });
    expect(me.status).toBe(401);
    expect(await me.json()).toMatchObject({ error: "api_key_invalid" });

    // A key is not a cookie: a request with an unrelated header name is simply anonymous.
    const { key } = await createKey(alice);
    const elsewhere = await fetch(`${stack.url}/auth/v1/get-session`, { headers: { "x-api-token": key } });
    expect(await elsewhere.json()).toBeNull();
  });

  it("refuses a revoked key everywhere, at once", async () => {
    const { id, key } = await createKey(alice);
    expect((await getSession({ header: key })).status).toBe(200);

    const revoked = await alice.browser.post("/auth/v1/api-key/delete", { keyId: id });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toEqual({ success: true });

    const res = await getSession({ header: key });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: "INVALID_API_KEY" });
    expect((await getSession({ query: `api_key=${key}` })).status).toBe(401);
    const me = await fetch(`${stack.url}/api/v1/me`, { headers: { "x-api-key": key } });
    expect(me.status).toBe(401);
    expect(await querySqlite(db, `SELECT id FROM apikey WHERE id = '${id}'`)).toEqual([]);
  });

  it("does not let another user revoke someone's key", async () => {
    const { id, key } = await createKey(alice);
    const res = await bob.browser.post("/auth/v1/api-key/delete", { keyId: id });
    expect(res.status).toBe(404);
    expect((await getSession({ header: key })).status).toBe(200);
  });

  it("lets a key read who it is, but not manage keys or the account", async () => {
    const { key } = await createKey(alice);
    const headers = { "x-api-key": key, "content-type": "application/json" };
    const mint = await fetch(`${stack.url}/auth/v1/api-key/create`, { method: "POST", headers, body: "{}" });
    expect(mint.status).toBe(401);
    expect((await fetch(`${stack.url}/auth/v1/api-key/list`, { headers })).status).toBe(401);
    const rename = await fetch(`${stack.url}/auth/v1/update-user`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "Mallory" }),
    });
    expect(rename.status).toBe(401);
    const session = await (await getSession({ header: key })).json();
    expect(session).toMatchObject({ user: { id: alice.id, name: "Alice" } });
  });

  it("rate limits each key as the config says (5 a minute here), with a 429 that says when to retry", async () => {
    const { key } = await createKey(alice);
    for (let i = 0; i < 5; i++) expect((await getSession({ header: key })).status).toBe(200);
    const limited = await getSession({ header: key });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ code: "RATE_LIMITED" });
    // Each key has its own counter.
    const other = await createKey(alice);
    expect((await getSession({ header: other.key })).status).toBe(200);
    const [row] = await querySqlite<{ rateLimitMax: number; rateLimitTimeWindow: number }>(
      db,
      `SELECT rateLimitMax, rateLimitTimeWindow FROM apikey WHERE referenceId = '${alice.id}' LIMIT 1`,
    );
    expect(row).toEqual({ rateLimitMax: 5, rateLimitTimeWindow: 60_000 });
  });
});
