/**
 * Bursts of requests sent at once to one local stack, each from its own address: every answer is
 * the Worker's own, with the status a user expects. When the fetch from Alchemy's dev proxy to
 * workerd fails, the proxy answers by itself: 500 "[Alchemy] An unknown error occurred." with an
 * `Alchemy-Error` header (docs/RELIABILITY.md, "Load").
 */
import { describe, expect, it } from "vitest";
import { stackPerFile } from "../support/stack-per-file.ts";
import { TEST_PASSWORD } from "../support/users.ts";

// Far above the local gate's 8 in flight; each sign-up or sign-in is a password hash (~0.1 s of CI).
const BURST = 60;
const file = stackPerFile("local-load", "test/fixtures/local-load.config.ts");

interface Answer {
  status: number;
  body: string;
  /** Alchemy's proxy marks the answers it makes itself. */
  fromProxy: boolean;
}

type Send = (i: number) => { path: string; init?: RequestInit };

/** `size` requests at once, the i-th from address 10.99.<burst>.<i>; their answers in order. */
let bursts = 0;
async function burst(send: Send, size = BURST): Promise<Answer[]> {
  const net = ++bursts;
  return Promise.all(
    Array.from({ length: size }, async (_, i) => {
      const { path, init = {} } = send(i);
      const headers = new Headers(init.headers);
      headers.set("origin", file.stack.url);
      headers.set("cf-connecting-ip", `10.99.${net}.${i + 1}`);
      try {
        const res = await fetch(new URL(path, file.stack.url), { ...init, headers, redirect: "manual" });
        return { status: res.status, body: await res.text(), fromProxy: res.headers.has("alchemy-error") };
      } catch (error) {
        return {
          status: 0,
          body: `fetch failed: ${String((error as Error).cause ?? error)}`,
          fromProxy: false,
        };
      }
    }),
  );
}

/** The answers that are not the Worker's `status`, a few of them for the failure message ("[]": none). */
function unexpected(answers: Answer[], status: number): string {
  const wrong = answers.filter((a) => a.status !== status || a.fromProxy);
  const shown = wrong
    .slice(0, 3)
    .map((a) => ({ status: a.status, proxy: a.fromProxy, body: a.body.slice(0, 500) }));
  return wrong.length === 0
    ? "[]"
    : `${wrong.length} of ${answers.length}: ${JSON.stringify(shown, null, 1)}`;
}

const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

const emails = Array.from({ length: BURST }, (_, i) => `load-${i}-${Date.now()}@example.com`);
const signIn: Send = (i) => ({
  path: "/auth/v1/sign-in/email",
  init: json({ email: emails[i], password: TEST_PASSWORD }),
});
const userOf = (a: Answer) => (JSON.parse(a.body) as { user: { email: string } }).user.email;

describe("the local stack under a burst", () => {
  it(`answers ${BURST} get-session requests at once from the Worker`, async () => {
    const answers = await burst(() => ({ path: "/auth/v1/get-session" }));
    expect(unexpected(answers, 200)).toBe("[]");
    expect(answers.every((a) => a.body === "null")).toBe(true);
  }, 120_000);

  it(`answers ${BURST} sign-ups at once (a password hash each) from the Worker`, async () => {
    const answers = await burst((i) => ({
      path: "/auth/v1/sign-up/email",
      init: json({ name: `Load ${i}`, email: emails[i], password: TEST_PASSWORD }),
    }));
    expect(unexpected(answers, 200)).toBe("[]");
    expect(answers.map(userOf)).toEqual(emails);
  }, 180_000);

  it(`answers ${BURST} sign-ins at once (a password check each) from the Worker`, async () => {
    const answers = await burst(signIn);
    expect(unexpected(answers, 200)).toBe("[]");
    expect(answers.map(userOf)).toEqual(emails);
  }, 180_000);

  /**
   * workerd's HTTP server closes a connection idle for 5 s; if its thread is busy hashing when that
   * timer comes due and a request was already sent on the connection, the request is reset unread.
   * Before each request had a connection of its own, 6–11 of 24 sign-ins in one of these bursts got
   * Alchemy's 500 "ECONNRESET", on a quiet machine.
   */
  it("answers sign-in bursts sent after pauses near workerd's 5 s keep-alive timeout from the Worker", async () => {
    for (const pause of [4.7, 4.85, 5.0]) {
      const warm = await burst(() => ({ path: "/auth/v1/get-session" }), 24);
      expect(unexpected(warm, 200)).toBe("[]");
      await new Promise((resolve) => setTimeout(resolve, pause * 1000));
      const answers = await burst(signIn, 24);
      expect(unexpected(answers, 200), `after a ${pause} s pause`).toBe("[]");
    }
  }, 180_000);

  it(`answers ${BURST} sign-ins and get-sessions mixed at once from the Worker`, async () => {
    const answers = await burst((i) => (i % 2 === 0 ? signIn(i) : { path: "/auth/v1/get-session" }));
    expect(unexpected(answers, 200)).toBe("[]");
  }, 180_000);
});
