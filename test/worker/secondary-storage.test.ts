/** kvSecondaryStorage on Miniflare's KV (the engine local stacks run): TTLs below KV's 60 s minimum, no counters, single reads. */
import type { SecondaryStorage } from "@better-auth/core/db";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kvSecondaryStorage } from "../../worker/auth/secondary-storage.ts";

let mf: Miniflare;
let kv: KVNamespace;
let storage: SecondaryStorage;

beforeAll(async () => {
  mf = new Miniflare({
    modules: true,
    script: "export default { fetch() { return new Response(null); } };",
    kvNamespaces: { KV: "kv" },
  });
  kv = (await mf.getKVNamespace("KV")) as unknown as KVNamespace;
  storage = kvSecondaryStorage(kv);
});
afterAll(async () => {
  await mf?.dispose();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("kvSecondaryStorage", () => {
  it("stores, reads and deletes a value", async () => {
    await storage.set("session-a", '{"user":1}', 3600);
    expect(await storage.get("session-a")).toBe('{"user":1}');
    await storage.delete("session-a");
    expect(await storage.get("session-a")).toBeNull();
  });

  it("accepts a TTL under KV's 60 s minimum and honours it on read", async () => {
    // KV itself refuses expirationTtl < 60: the wrapper must not pass it through.
    await expect(kv.put("raw", "x", { expirationTtl: 1 })).rejects.toThrow();
    await storage.set("short", "x", 1);
    expect(await storage.get("short")).toBe("x");
    await sleep(1100);
    expect(await storage.get("short")).toBeNull();
  });

  it("keeps a value without a TTL", async () => {
    await storage.set("forever", "y");
    expect(await storage.get("forever")).toBe("y");
  });

  it("refuses to count: KV cannot increment atomically, so counters live in D1", async () => {
    await expect(Promise.resolve().then(() => storage.increment("rl", 60))).rejects.toThrow(
      /cannot count atomically/,
    );
    // Nothing was written that a later read could mistake for a count.
    expect(await storage.get("rl")).toBeNull();
  });

  it("getAndDelete returns the value once", async () => {
    await storage.set("once", "z", 120);
    expect(await storage.getAndDelete("once")).toBe("z");
    expect(await storage.getAndDelete("once")).toBeNull();
  });
});

describe("kvSecondaryStorage with a D1 session index", () => {
  const live = [
    { token: "tok-old", expiresAt: Date.now() + 60_000, entry: '{"session":{"token":"tok-old"}}' },
    { token: "tok-new", expiresAt: Date.now() + 120_000, entry: '{"session":{"token":"tok-new"}}' },
  ];
  const asked: string[] = [];
  let memo: Map<string, string> | undefined;
  const indexed = () =>
    kvSecondaryStorage(kv, {
      sessionIndex: async (userId) => {
        asked.push(userId);
        return userId === "u1" ? live : [];
      },
      memo: () => memo,
    });

  it("answers a user's session list from the index and never writes it to KV", async () => {
    const s = indexed();
    await s.set("active-sessions-u1", '[{"token":"stale","expiresAt":1}]', 3600);
    expect(await kv.get("active-sessions-u1")).toBeNull();
    expect(JSON.parse((await s.get("active-sessions-u1")) as string)).toEqual(
      live.map(({ token, expiresAt }) => ({ token, expiresAt })),
    );
    expect(asked).toContain("u1");
    expect(await s.get("active-sessions-nobody")).toBeNull();
  });

  it("serves a listed session KV lacks from the request's memo, until it is deleted", async () => {
    memo = new Map();
    const s = indexed();
    expect(await s.get("tok-old")).toBeNull();
    await s.get("active-sessions-u1");
    expect(await s.get("tok-old")).toBe(live[0]?.entry);
    await s.delete("tok-old");
    expect(await s.get("tok-old")).toBeNull();
    memo = undefined;
  });

  it("prefers KV's entry to the memo", async () => {
    memo = new Map([["tok-new", "from-d1"]]);
    const s = indexed();
    await s.set("tok-new", "from-kv", 3600);
    expect(await s.get("tok-new")).toBe("from-kv");
    memo = undefined;
  });
});
