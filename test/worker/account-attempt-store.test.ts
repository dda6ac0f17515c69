/**
 * The per-account counters on D1 (Miniflare's, with the real migrations), at chosen clock times, so
 * the numbers a stack test cannot wait for are shown exactly: the doubling wait and its cap, the
 * hour's ceiling, the fresh window, the reset on success, one notice a window.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountKey, normaliseEmail } from "../../worker/auth/account-limits/account-key.ts";
import {
  type AttemptStore,
  attemptStore,
  noticeDue,
} from "../../worker/auth/account-limits/attempt-store.ts";
import { ACCOUNT_LIMITS, type AccountLimitRule } from "../../worker/auth/account-limits/rules.ts";
import { ROOT } from "../support/stack.ts";

let mf: Miniflare;
let store: AttemptStore;
const T0 = 1_800_000_000_000;
const GUESSES = ACCOUNT_LIMITS.password;
let nextKey = 0;
const freshKey = () => `password:${(nextKey++).toString(16).padStart(64, "0")}`;

beforeAll(async () => {
  mf = new Miniflare({
    modules: true,
    script: "export default { fetch() { return new Response(null); } };",
    d1Databases: { DB: "account-attempts" },
  });
  const db = await mf.getD1Database("DB");
  for (const file of (await readdir(path.join(ROOT, "migrations")))
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    const sql = await readFile(path.join(ROOT, "migrations", file), "utf8");
    await db.batch(
      sql
        .split("--> statement-breakpoint")
        .filter((s) => s.trim())
        .map((s) => db.prepare(s)),
    );
  }
  store = attemptStore(db);
});

afterAll(async () => {
  await mf?.dispose();
});

/** Attempts in a row, each as soon as it is allowed: the waits between them, in seconds. */
async function waitsBetween(key: string, rule: AccountLimitRule, count: number): Promise<number[]> {
  let now = T0;
  const waits: number[] = [];
  for (let i = 0; i < count; i++) {
    const r = await store.reserve(key, rule, now);
    if (!r.allowed) throw new Error(`attempt ${i + 1} refused at +${(now - T0) / 1000} s`);
    waits.push((r.count.nextAllowedAt - now) / 1000);
    now = r.count.nextAllowedAt;
  }
  return waits;
}

describe("the account's attempt counter", () => {
  it("guesses: five free, then 1 s doubling to the 5 min cap", async () => {
    expect(await waitsBetween(freshKey(), GUESSES, 16)).toEqual([
      0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300,
    ]);
  });

  it("sends: five free, then 30 s doubling to the 15 min cap", async () => {
    expect(await waitsBetween(freshKey(), ACCOUNT_LIMITS["code-send"], 11)).toEqual([
      0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900,
    ]);
  });

  it("turns away an attempt before its wait is over, with the seconds left, and does not lengthen the wait", async () => {
    const key = freshKey();
    await waitsBetween(key, GUESSES, 7); // the 7th sets a 4 s wait
    const nextAllowedAt = T0 + (1 + 2) * 1000 + 4000;
    const early = await store.reserve(key, GUESSES, nextAllowedAt - 2500);
    expect(early).toMatchObject({ allowed: false, retryAfterSeconds: 3, count: { attempts: 7, refused: 1 } });
    expect(early.count.nextAllowedAt).toBe(nextAllowedAt);
    expect((await store.reserve(key, GUESSES, nextAllowedAt)).allowed).toBe(true);
  });

  it("stops at the hour's ceiling (ASVS 2.2.1: 100), even with no wait, until the window ends", async () => {
    const key = freshKey();
    const noWait: AccountLimitRule = { ...GUESSES, free: 1_000 };
    for (let i = 0; i < 100; i++)
      expect((await store.reserve(key, noWait, T0 + i)).allowed, `#${i + 1}`).toBe(true);
    const over = await store.reserve(key, noWait, T0 + 1_000);
    expect(over).toMatchObject({ allowed: false, retryAfterSeconds: 3599 });
    const nextHour = await store.reserve(key, noWait, T0 + 3_600_000);
    expect(nextHour).toMatchObject({
      allowed: true,
      count: { attempts: 1, refused: 0, windowStart: T0 + 3_600_000 },
    });
  });

  it("a success makes the next attempts free again", async () => {
    const key = freshKey();
    await waitsBetween(key, GUESSES, 8);
    await store.reset(key);
    const after = await store.reserve(key, GUESSES, T0 + 1_000_000);
    expect(after).toMatchObject({ allowed: true, count: { attempts: 1, nextAllowedAt: T0 + 1_000_000 } });
  });

  it("takes back an attempt refused before it was judged, but keeps the wait it set", async () => {
    const key = freshKey();
    await waitsBetween(key, GUESSES, 5); // the 5th sets a 1 s wait
    await store.refund(key);
    const early = await store.reserve(key, GUESSES, T0 + 500);
    expect(early).toMatchObject({ allowed: false, count: { attempts: 4 } });
    // Counted as the 5th again: a 1 s wait, not the 6th's 2 s.
    const next = await store.reserve(key, GUESSES, T0 + 1000);
    expect(next).toMatchObject({ allowed: true, count: { attempts: 5, nextAllowedAt: T0 + 2000 } });
    const none = freshKey();
    await store.refund(none);
    expect(await store.reserve(none, GUESSES, T0)).toMatchObject({ allowed: true, count: { attempts: 1 } });
  });

  it("lets one request claim a window's notice, and the next window's again", async () => {
    const key = freshKey();
    const rule = GUESSES;
    let last = await store.reserve(key, rule, T0);
    for (let i = 1; i < (rule.notifyAfter as number); i++)
      last = await store.reserve(key, rule, T0 + 3_000_000);
    expect(noticeDue(last.count, rule)).toBe(true);
    const claims = await Promise.all([1, 2, 3].map(() => store.claimNotice(key, T0 + 3_000_001)));
    expect(claims.filter((c) => c !== undefined)).toHaveLength(1);
    const later = await store.reserve(key, rule, T0 + 3_000_002);
    expect(noticeDue(later.count, rule)).toBe(false);
    const nextWindow = await store.reserve(key, rule, T0 + 3_600_000);
    expect(nextWindow.count.notifiedAt).toBe(T0 + 3_000_001);
    expect(await store.claimNotice(key, T0 + 3_600_001)).toBeDefined();
  });
});

describe("the account key", () => {
  it("is one key for one address however it is typed, keyed by the secret, and names no address", async () => {
    const a = normaliseEmail("  Ada@Example.COM ");
    expect(a).toBe("ada@example.com");
    const key = await accountKey("s".repeat(32), "password", a as string);
    expect(key).toMatch(/^password:[0-9a-f]{64}$/);
    expect(key).toBe(
      await accountKey("s".repeat(32), "password", normaliseEmail("ada@example.com") as string),
    );
    expect(key).not.toBe(await accountKey("t".repeat(32), "password", a as string));
    expect(normaliseEmail("not-an-email")).toBeUndefined();
    expect(normaliseEmail(42)).toBeUndefined();
  });
});
