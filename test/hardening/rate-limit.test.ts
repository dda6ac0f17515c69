/**
 * Rate limits on a local stack, as an attacker meets them: per client IP (cf-connecting-ip), per
 * endpoint, 429 with Retry-After and a JSON error, counted in D1 so every isolate sees one count.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RATE_LIMIT_RULES } from "../../worker/auth/rate-limit.ts";
import { localD1File } from "../support/local-d1.ts";
import { querySqlite, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const APP = "hardening-test";
const CONFIG = ["--config", "test/hardening/fixtures/hardening.config.ts"];
const stage = uniqueStage("ratelimit");
let stack: RunningStack;
const user = { name: "Rae", email: `rae-${stage}@example.com`, password: "correct horse battery" };

/** A fresh documentation-range address per use, so every test starts with its own budget. */
let nextIp = 1;
const freshIp = () => `198.51.100.${nextIp++}`;

function post(path: string, ip: string, body: unknown = {}, headers: Record<string, string> = {}) {
  return fetch(`${stack.url}/auth/v1${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: stack.url, "cf-connecting-ip": ip, ...headers },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  expect((await post("/sign-up/email", freshIp(), user)).status).toBe(200);
});

afterAll(async () => {
  await stack?.stop();
});

const attacker = freshIp();
let blockedAt = 0;
/** The address the default-rule test used up, and when its Retry-After ends. */
let defaultLimited: { ip: string; reopensAt: number } | undefined;

// First, so the wait for its 10 s window overlaps the rest of the file.
describe("every other auth path", () => {
  it("limits every other auth path at Better Auth's default, 100 per 10 s", async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      statuses.push((await fetch(`${stack.url}/auth/v1/ok`, { headers: { "cf-connecting-ip": ip } })).status);
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
    const limited = await fetch(`${stack.url}/auth/v1/ok`, { headers: { "cf-connecting-ip": ip } });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter > 0 && retryAfter <= 10, `Retry-After ${retryAfter}`).toBe(true);
    defaultLimited = { ip, reopensAt: Date.now() + retryAfter * 1000 };
  });
});

describe("sign-in from one IP", () => {
  it("allows 10 tries a minute, then answers 429 with Retry-After and a JSON error", async () => {
    // Ten accounts: one account's own limit (account-limits.test.ts) would slow a sixth guess at it.
    for (let i = 0; i < 10; i++) {
      const email = `target-${i}-${stage}@example.com`;
      const res = await post("/sign-in/email", attacker, { email, password: `guess-${i}-wrong` });
      expect(res.status, `try ${i + 1}`).toBe(401);
    }
    const res = await post("/sign-in/email", attacker, { email: user.email, password: user.password });
    blockedAt = Date.now();
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(
      Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 60,
      `Retry-After ${retryAfter}`,
    ).toBe(true);
    expect(res.headers.get("x-retry-after")).toBe(String(retryAfter));
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      error: "rate_limited",
      code: "TOO_MANY_REQUESTS",
      message: `Too many requests. Try again in ${retryAfter} s.`,
      retryAfter,
    });
    // Even the right password waits: the limiter answers before the password is checked.
    expect((await post("/sign-in/email", attacker, user)).status).toBe(429);
  });

  it("leaves other addresses alone", async () => {
    const res = await post("/sign-in/email", freshIp(), { email: user.email, password: user.password });
    expect(res.status).toBe(200);
  });

  it("leaves the attacker's other endpoints alone (each path has its own budget)", async () => {
    expect(
      (await post("/sign-up/email", attacker, { ...user, email: `other-${stage}@example.com` })).status,
    ).toBe(200);
  });

  it("counts in D1, so every isolate (and every colo, deployed) sees the same count", async () => {
    const file = await localD1File(APP, stage);
    const rows = await querySqlite<{ key: string; count: number }>(
      file,
      `SELECT key, count FROM rateLimit WHERE key LIKE '${attacker}%'`,
    );
    expect(rows).toContainEqual({ key: expect.stringContaining("/sign-in/email"), count: 10 });
  });
});

describe("every limited endpoint", () => {
  const GET_PATHS = new Set(["/magic-link/verify"]);
  // The seed's aliases forward to Better Auth's paths and so share their budgets.
  const aliases: Record<string, string> = {
    "/magic-link/send": "/sign-in/magic-link",
    "/email-otp/verify-otp": "/sign-in/email-otp",
  };
  const cases = [
    ...Object.entries(RATE_LIMIT_RULES).map(([path, rule]) => ({ path, rule })),
    ...Object.entries(aliases).map(([path, target]) => ({
      path,
      rule: RATE_LIMIT_RULES[target] as { max: number },
    })),
  ];

  it("documents the numbers a user meets", () => {
    expect(RATE_LIMIT_RULES["/sign-in/email"]).toEqual({ window: 60, max: 10 });
    expect(RATE_LIMIT_RULES["/sign-up/email"]).toEqual({ window: 60, max: 10 });
    expect(RATE_LIMIT_RULES["/email-otp/send-verification-otp"]).toEqual({ window: 60, max: 5 });
    expect(RATE_LIMIT_RULES["/sign-in/email-otp"]).toEqual({ window: 60, max: 10 });
    expect(RATE_LIMIT_RULES["/sign-in/magic-link"]).toEqual({ window: 60, max: 5 });
    expect(RATE_LIMIT_RULES["/request-password-reset"]).toEqual({ window: 60, max: 5 });
    expect(RATE_LIMIT_RULES["/api-key/create"]).toEqual({ window: 60, max: 20 });
    expect(RATE_LIMIT_RULES["/oauth2/register"]).toEqual({ window: 60, max: 10 });
    expect(RATE_LIMIT_RULES["/oauth2/token"]).toEqual({ window: 60, max: 60 });
  });

  it.each(cases)("$path: $rule.max requests pass the limiter, the next is a 429", async ({ path, rule }) => {
    const ip = freshIp();
    // Bodies that fail validation: the limiter counts before the endpoint runs, and nothing is created.
    const send = () =>
      GET_PATHS.has(path)
        ? fetch(`${stack.url}/auth/v1${path}?token=not-a-token`, {
            headers: { "cf-connecting-ip": ip },
            redirect: "manual",
          })
        : post(path, ip, { email: "not-an-email" });
    for (let i = 0; i < rule.max; i++) {
      const res = await send();
      expect(res.status, `${path} request ${i + 1}`).not.toBe(429);
    }
    const res = await send();
    expect(res.status, path).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("does not limit get-session (the hot read path)", async () => {
    const ip = freshIp();
    const statuses = new Set<number>();
    for (let i = 0; i < 150; i++) {
      const res = await fetch(`${stack.url}/auth/v1/get-session`, { headers: { "cf-connecting-ip": ip } });
      statuses.add(res.status);
    }
    expect([...statuses]).toEqual([200]);
  });
});

// Last, so the waits overlap the tests above.
describe("after the window", () => {
  it("opens again once Retry-After has passed, in real time (the default rule's 10 s window)", async () => {
    const { ip, reopensAt } = defaultLimited ?? expect.unreachable("the default-limit test did not run");
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, reopensAt - Date.now()) + 250));
    expect((await fetch(`${stack.url}/auth/v1/ok`, { headers: { "cf-connecting-ip": ip } })).status).toBe(
      200,
    );
  });

  it("opens sign-in again once its 60 s window has passed (the wait played by moving its D1 row back)", async () => {
    const res = await post("/sign-in/email", attacker, user);
    expect(res.status).toBe(429);
    const wait = Number(res.headers.get("retry-after"));
    expect(Date.now() + wait * 1000 - blockedAt).toBeLessThanOrEqual(61_000);
    // Waiting out the minute would cost CI a minute: the limiter compares now with the row's
    // lastRequest (ms), so moving that back by Retry-After is what waiting Retry-After does.
    const moved = await querySqlite<{ key: string }>(
      await localD1File(APP, stage),
      `UPDATE rateLimit SET lastRequest = lastRequest - ${wait * 1000 + 250}
       WHERE key LIKE '${attacker}%' AND key LIKE '%/sign-in/email' RETURNING key`,
    );
    expect(moved).toHaveLength(1);
    expect((await post("/sign-in/email", attacker, user)).status).toBe(200);
  });
});
