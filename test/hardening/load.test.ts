/**
 * Bounded loopback load on a local stack: sign-ups from a crowd, then get-session reads with their
 * cookies, at a fixed concurrency. No 5xx, every answer right, every user exactly once in D1 with one
 * account and one session, no duplicate session tokens.
 *
 * Default (in `npm test`): 200 sign-ups, 2,000 get-session, concurrency 50. The full run:
 *   LOAD_SIGNUPS=2000 LOAD_SESSIONS=20000 npx vitest run test/hardening/load.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localD1File } from "../support/local-d1.ts";
import { querySqlite, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const APP = "hardening-test";
const CONFIG = ["--config", "test/hardening/fixtures/hardening.config.ts"];
const SIGN_UPS = Number(process.env.LOAD_SIGNUPS ?? 200);
const SESSION_READS = Number(process.env.LOAD_SESSIONS ?? 2000);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 50);
const stage = uniqueStage("load");
let stack: RunningStack;

interface Tally {
  requests: number;
  byStatus: Record<string, number>;
  networkErrors: number;
  wrong: string[];
  ms: number;
}
const newTally = (): Tally => ({ requests: 0, byStatus: {}, networkErrors: 0, wrong: [], ms: 0 });
const signUpTally = newTally();
const readTally = newTally();
const cookies: { email: string; cookie: string }[] = [];

const emailFor = (i: number) => `load-${i}-${stage}@example.com`;
/** A crowd: each sign-up from its own address (sign-up is rate limited per IP, as it should be). */
const ipFor = (i: number) => `10.${200 + ((i >> 16) & 0x3f)}.${(i >> 8) & 0xff}.${i & 0xff}`;

async function pool(count: number, size: number, run: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      for (let i = next++; i < count; i = next++) await run(i);
    }),
  );
}

async function timedRun(tally: Tally, count: number, run: (i: number) => Promise<void>) {
  const started = performance.now();
  await pool(count, CONCURRENCY, async (i) => {
    tally.requests++;
    try {
      await run(i);
    } catch (error) {
      tally.networkErrors++;
      if (tally.wrong.length < 20) tally.wrong.push(`#${i}: ${String(error)}`);
    }
  });
  tally.ms = performance.now() - started;
}

function count(tally: Tally, status: number) {
  tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
}

const summary = (name: string, t: Tally) =>
  `${name}: ${t.requests} requests in ${(t.ms / 1000).toFixed(1)} s (${((t.requests * 1000) / t.ms).toFixed(0)}/s), ` +
  `statuses ${JSON.stringify(t.byStatus)}, ${t.networkErrors} network errors, ${t.wrong.length} wrong answers`;

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
});

afterAll(async () => {
  console.log(
    `load (concurrency ${CONCURRENCY})\n  ${summary("sign-up", signUpTally)}\n  ${summary("get-session", readTally)}`,
  );
  await stack?.stop();
});

describe(`load: ${SIGN_UPS} sign-ups and ${SESSION_READS} get-session at concurrency ${CONCURRENCY}`, () => {
  it("signs everyone up, with no 5xx", { timeout: 120_000 + SIGN_UPS * 400 }, async () => {
    await timedRun(signUpTally, SIGN_UPS, async (i) => {
      const email = emailFor(i);
      const res = await fetch(`${stack.url}/auth/v1/sign-up/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: stack.url, "cf-connecting-ip": ipFor(i) },
        body: JSON.stringify({ email, password: "correct horse battery", name: `Load ${i}` }),
      });
      count(signUpTally, res.status);
      const body = (await res.json()) as { user?: { email?: string } };
      if (res.status !== 200 || body.user?.email !== email) {
        signUpTally.wrong.push(`#${i}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
        return;
      }
      const cookie = res.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      cookies[i] = { email, cookie };
    });
    expect(signUpTally.wrong).toEqual([]);
    expect(signUpTally.byStatus).toEqual({ 200: SIGN_UPS });
  });

  it("answers every get-session with the right user, with no 5xx", {
    timeout: 120_000 + SESSION_READS * 40,
  }, async () => {
    await timedRun(readTally, SESSION_READS, async (i) => {
      const who = cookies[i % SIGN_UPS] as { email: string; cookie: string };
      const res = await fetch(`${stack.url}/auth/v1/get-session`, {
        headers: { cookie: who.cookie, "cf-connecting-ip": ipFor(i % SIGN_UPS) },
      });
      count(readTally, res.status);
      const body = (await res.json()) as { user?: { email?: string } } | null;
      if (res.status !== 200 || body?.user?.email !== who.email) {
        if (readTally.wrong.length < 20) readTally.wrong.push(`#${i}: ${res.status} ${JSON.stringify(body)}`);
        else readTally.wrong.push("…");
      }
    });
    expect(readTally.wrong).toEqual([]);
    expect(readTally.byStatus).toEqual({ 200: SESSION_READS });
  });

  it("has every user exactly once in D1, each with one account and one session, no token twice", async () => {
    const file = await localD1File(APP, stage);
    const like = `load-%-${stage}@example.com`;
    const [users] = await querySqlite<{ rows: number; emails: number }>(
      file,
      `SELECT count(*) AS rows, count(DISTINCT email) AS emails FROM user WHERE email LIKE '${like}'`,
    );
    expect(users).toEqual({ rows: SIGN_UPS, emails: SIGN_UPS });
    const rows = await querySqlite<{ email: string; accounts: number; sessions: number }>(
      file,
      `SELECT u.email,
         (SELECT count(*) FROM account a WHERE a.userId = u.id) AS accounts,
         (SELECT count(*) FROM session s WHERE s.userId = u.id) AS sessions
       FROM user u WHERE u.email LIKE '${like}'`,
    );
    const odd = rows.filter((r) => r.accounts !== 1 || r.sessions !== 1);
    expect(odd.slice(0, 20)).toEqual([]);
    const duplicateTokens = await querySqlite(
      file,
      "SELECT token, count(*) AS n FROM session GROUP BY token HAVING n > 1 LIMIT 5",
    );
    expect(duplicateTokens).toEqual([]);
  });
});
