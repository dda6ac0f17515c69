/**
 * The per-IP limiter's D1 storage (worker/auth/rate-limit-storage.ts): one statement per counted
 * request, exactly `max` through when requests arrive at once, and Better Auth's rule (a window from
 * the last counted request) on a timeline with gaps. A Miniflare D1 with the real migrations; the
 * last case runs the Worker's own Better Auth (every plugin on) to show it counts through this storage.
 */
import type { Miniflare } from "miniflare";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { d1RateLimitStorage } from "../../worker/auth/rate-limit-storage.ts";
import { type EveryPluginAuth, everyPluginAuth } from "../support/every-plugin-auth.ts";
import { recordedD1 } from "../support/recorded-d1.ts";

let stack: EveryPluginAuth;
let mf: Miniflare;
/** What the Worker's auth prepared (last case); the storage under test records into `counted`. */
let prepared: string[] = [];
let counted: string[] = [];
let storage: ReturnType<typeof d1RateLimitStorage>;
let keys = 0;
const freshKey = () => `203.0.113.${++keys}|/sign-in/email`;

beforeAll(async () => {
  stack = await everyPluginAuth("rate-limit-storage", (db) => recordedD1(db, (sql) => prepared.push(sql)));
  mf = stack.mf;
  storage = d1RateLimitStorage(recordedD1(stack.raw, (sql) => counted.push(sql)));
});

afterAll(async () => {
  await mf?.dispose();
});

afterEach(() => {
  vi.useRealTimers();
});

const rowOf = (key: string) =>
  stack.raw
    .prepare("SELECT count, lastRequest FROM rateLimit WHERE key = ?")
    .bind(key)
    .first<{ count: number; lastRequest: number }>();

describe("d1RateLimitStorage", () => {
  it("counts a request with one statement, and lets `max` through before answering when the window frees up", async () => {
    const key = freshKey();
    const rule = { window: 60, max: 3 };
    counted = [];
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await storage.consume(key, rule));
    expect(answers).toEqual(Array(3).fill({ allowed: true, retryAfter: null }));
    expect(counted).toHaveLength(3);

    const refused = await storage.consume(key, rule);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfter).toBeGreaterThanOrEqual(59);
    expect(refused.retryAfter).toBeLessThanOrEqual(60);
    // A refusal changes nothing: the count stays at max, the window still runs from the last counted request.
    expect((await rowOf(key))?.count).toBe(3);
  });

  it("lets exactly `max` through when 40 arrive at once", async () => {
    const key = freshKey();
    const rule = { window: 60, max: 10 };
    const answers = await Promise.all(Array.from({ length: 40 }, () => storage.consume(key, rule)));
    expect(answers.filter((a) => a.allowed)).toHaveLength(10);
    expect(answers.filter((a) => !a.allowed && (a.retryAfter ?? 0) >= 1)).toHaveLength(30);
    expect((await rowOf(key))?.count).toBe(10);
  });

  it("follows Better Auth's rule on a timeline with gaps: a window runs from the last counted request", async () => {
    const key = freshKey();
    const rule = { window: 10, max: 2 };
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    // [seconds after start, allowed?, the Retry-After a refusal gives]
    const timeline: [number, boolean, number | null][] = [
      [0, true, null],
      [5, true, null],
      [9, false, 6], // two counted; the window runs from the one at 5 s
      [14.9, false, 1],
      [15, true, null], // 10 s after the last counted request: afresh, count 1
      [16, true, null],
      [17, false, 9],
      [40, true, null],
    ];
    for (const [at, allowed, retryAfter] of timeline) {
      vi.setSystemTime(start + at * 1000);
      expect(await storage.consume(key, rule), `at ${at} s`).toEqual({ allowed, retryAfter });
    }
    expect(await rowOf(key)).toEqual({ count: 1, lastRequest: start + 40_000 });
  });

  it("keeps each key's count apart", async () => {
    const [a, b] = [freshKey(), freshKey()];
    const rule = { window: 60, max: 1 };
    expect((await storage.consume(a, rule)).allowed).toBe(true);
    expect((await storage.consume(a, rule)).allowed).toBe(false);
    expect((await storage.consume(b, rule)).allowed).toBe(true);
  });

  it("is what the Worker's Better Auth counts with: a sign-in's per-IP count is one upsert, and the eleventh in a minute is a 429", async () => {
    const ip = "198.51.100.77";
    const signIn = () =>
      stack.auth.handler(
        new Request(`${stack.env.BETTER_AUTH_URL}/auth/v1/sign-in/email`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            origin: stack.env.BETTER_AUTH_URL,
            "cf-connecting-ip": ip,
          },
          body: JSON.stringify({ email: "nobody@example.com", password: "wrong-wrong-wrong" }),
        }),
      );
    prepared = [];
    expect((await signIn()).status).toBe(401);
    const limiter = prepared.filter((sql) => /\brateLimit\b/.test(sql));
    expect(limiter).toHaveLength(1);
    expect(limiter[0]).toMatch(/^INSERT INTO rateLimit .*\sON CONFLICT\(key\) DO UPDATE/s);
    for (let i = 0; i < 9; i++) expect((await signIn()).status).toBe(401);
    const limited = await signIn();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("x-retry-after"))).toBeGreaterThan(0);
    expect((await rowOf(`${ip}|/sign-in/email`))?.count).toBe(10);
  });
});
