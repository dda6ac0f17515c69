/**
 * Per-account limits on a local stack, as an attacker with many addresses meets them: guesses at one
 * account are reserved one by one in D1, so however many arrive at once only the free few are judged;
 * later ones wait a growing delay (429 + Retry-After). The owner's other ways in keep working.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOutbox } from "../../src/cli/outbox.ts";
import { ACCOUNT_LIMITS } from "../../worker/auth/account-limits/rules.ts";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { codeIn, lastEmailSeq, linkIn, waitForEmail } from "../support/outbox.ts";
import { querySqlite, ROOT, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";
import { TEST_PASSWORD, type TestUser } from "../support/users.ts";
import {
  type CreationOptionsJSON,
  type RequestOptionsJSON,
  SoftAuthenticator,
} from "../support/webauthn-authenticator.ts";

const APP = "account-limits-test";
const CONFIG = ["--config", "test/hardening/fixtures/account-limits.config.ts"];
const stage = uniqueStage("acctlimit");
const PASSWORDS = ACCOUNT_LIMITS.password;
const CODES = ACCOUNT_LIMITS["code-verify"];
const SENDS = ACCOUNT_LIMITS["code-send"];
/** Requests in flight when the first wait is set may still be reserved if it ends first (a slow machine). */
const FEW_MORE = 3;
let stack: RunningStack;
let db: string;
let owner: TestUser & { authenticator: SoftAuthenticator };
let other: TestUser;

const address = (label: string) => `${label}-${stage}@example.com`;

async function signUp(label: string): Promise<TestUser> {
  const email = address(label);
  const browser = new Session(stack.url);
  const res = await browser.post("/auth/v1/sign-up/email", { name: label, email, password: TEST_PASSWORD });
  expect(res.status, await res.clone().text()).toBe(200);
  return { browser, email, id: ((await res.json()) as { user: { id: string } }).user.id };
}

/** One request from a new client address each time, as a botnet sends them. */
const fromNewAddress = (path: string, body: unknown) => new Session(stack.url).post(`/auth/v1${path}`, body);
const guessPassword = (email: string, i: number) =>
  fromNewAddress("/sign-in/email", { email, password: `guess number ${i}` });

interface Outcome {
  status: number;
  retryAfter: number;
  body: { error?: string; code?: string; retryAfter?: number; message?: string };
}

async function outcome(res: Response): Promise<Outcome> {
  return {
    status: res.status,
    retryAfter: Number(res.headers.get("retry-after")),
    body: (await res.json().catch(() => ({}))) as Outcome["body"],
  };
}

/** Turned away by the account's limit (not the per-IP one, not Better Auth). */
const accountLimited = (o: Outcome) => o.status === 429 && o.body.error === "too_many_attempts_for_account";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Tests that wait out delays (seconds each, doubling) or send bursts on a busy machine. */
const SLOW = 120_000;

/**
 * Waits out the account's current delay, read from a turned-away attempt. A probe that is judged
 * instead (the wait had already passed) is one more wrong guess, which sets a new wait: probe again.
 */
async function waitOut(email: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const probe = await outcome(await guessPassword(email, -1 - i));
    if (accountLimited(probe)) {
      await sleep(probe.retryAfter * 1000 + 250);
      return;
    }
    expect(probe.status).toBe(401);
  }
  throw new Error(`five probes at ${email} in a row were judged: no wait is being set`);
}

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  db = await localD1File(APP, stage);
  const user = await signUp("owner");
  // A verified owner: proving an unverified address by link would drop the password and passkey
  // (worker/auth/revoke-unproven-credentials.ts), which is not what this file tests.
  const after = await lastEmailSeq(stage);
  const send = { email: user.email, type: "email-verification" };
  expect((await user.browser.post("/auth/v1/email-otp/send-verification-otp", send)).status).toBe(200);
  const otp = codeIn(await waitForEmail(stage, user.email, { after }));
  const verified = await user.browser.post("/auth/v1/email-otp/verify-email", { email: user.email, otp });
  expect(verified.status, await verified.clone().text()).toBe(200);
  const authenticator = await SoftAuthenticator.create();
  const options = await user.browser.request("/auth/v1/passkey/register/options", { method: "POST" });
  expect(options.status, await options.clone().text()).toBe(200);
  const credential = await authenticator.register((await options.json()) as CreationOptionsJSON, stack.url);
  const registered = await user.browser.post("/auth/v1/passkey/register/verify", credential);
  expect(registered.status, await registered.clone().text()).toBe(200);
  owner = { ...user, authenticator };
  other = await signUp("other");
});

afterAll(async () => {
  await stack?.stop();
});

describe("password guesses at one account from many addresses", () => {
  let burst: Outcome[] = [];

  it("60 at once from 60 addresses: only the free five (and at most a few more) are judged, the rest get 429", {
    timeout: SLOW,
  }, async () => {
    burst = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => outcome(await guessPassword(owner.email, i))),
    );
    const judged = burst.filter((o) => o.status === 401).length;
    const limited = burst.filter(accountLimited);
    expect(judged + limited.length, JSON.stringify(burst.map((o) => o.status))).toBe(60);
    expect(judged).toBeGreaterThanOrEqual(PASSWORDS.free);
    expect(judged).toBeLessThanOrEqual(PASSWORDS.free + FEW_MORE);
    for (const o of limited) {
      expect(o.retryAfter).toBeGreaterThanOrEqual(1);
      expect(o.retryAfter).toBeLessThanOrEqual(PASSWORDS.maxDelay);
      expect(o.body).toEqual({
        error: "too_many_attempts_for_account",
        code: "TOO_MANY_ATTEMPTS_FOR_ACCOUNT",
        message: `Too many attempts for this account. Try again in ${o.retryAfter} s, or sign in another way.`,
        retryAfter: o.retryAfter,
      });
    }
  });

  it("leaves another account alone: its owner signs in with a password at once", async () => {
    const res = await fromNewAddress("/sign-in/email", { email: other.email, password: TEST_PASSWORD });
    expect(res.status).toBe(200);
  });

  it("the owner still signs in with an email link, and with a passkey", async () => {
    const after = await lastEmailSeq(stage);
    const sent = await fromNewAddress("/magic-link/send", { email: owner.email });
    expect(sent.status, await sent.clone().text()).toBe(200);
    const mail = await waitForEmail(stage, owner.email, { after });
    const link = new URL(linkIn(mail, "/auth/v1/magic-link/verify"));
    const browser = new Session(stack.url);
    const viaLink = await browser.get(link.pathname + link.search);
    expect(viaLink.status).toBe(302);
    const session = (await (await browser.get("/auth/v1/get-session")).json()) as { user: { id: string } };
    expect(session.user.id).toBe(owner.id);

    const phone = new Session(stack.url);
    const options = await phone.request("/auth/v1/passkey/authenticate/options", { method: "POST" });
    expect(options.status).toBe(200);
    const assertion = await owner.authenticator.authenticate(
      (await options.json()) as RequestOptionsJSON,
      stack.url,
    );
    const viaPasskey = await phone.post("/auth/v1/passkey/authenticate/verify", assertion);
    expect(viaPasskey.status, await viaPasskey.clone().text()).toBe(200);
  });

  it("waits grow: after each wait one more guess is judged, and the next wait is longer", {
    timeout: SLOW,
  }, async () => {
    const waits: number[] = [];
    for (let round = 0; round < 2; round++) {
      await waitOut(owner.email);
      expect((await guessPassword(owner.email, 100 + round)).status, `round ${round}`).toBe(401);
      const next = await outcome(await guessPassword(owner.email, 200 + round));
      expect(accountLimited(next), `round ${round}: ${JSON.stringify(next)}`).toBe(true);
      waits.push(next.retryAfter);
    }
    expect(waits[1]).toBeGreaterThan(waits[0] as number);
  });

  it("while it waits, even the right password is turned away unjudged: no session is made", async () => {
    // The reservation and Better Auth's per-IP count run side by side; Better Auth's first
    // before-hook waits for the reservation, so a refused attempt never reaches the password check.
    const sessions = async () =>
      (
        await querySqlite<{ n: number }>(db, `SELECT count(*) AS n FROM session WHERE userId = '${owner.id}'`)
      )[0]?.n;
    let probe = await outcome(await guessPassword(owner.email, 400));
    for (let i = 1; !accountLimited(probe) && i < 5; i++)
      probe = await outcome(await guessPassword(owner.email, 400 + i));
    expect(accountLimited(probe), JSON.stringify(probe)).toBe(true);
    const before = await sessions();
    const right = await outcome(
      await fromNewAddress("/sign-in/email", { email: owner.email, password: TEST_PASSWORD }),
    );
    expect(accountLimited(right), JSON.stringify(right)).toBe(true);
    expect(await sessions()).toBe(before);
  });

  it("the owner's right password after the wait signs in, and the count starts afresh", {
    timeout: SLOW,
  }, async () => {
    await waitOut(owner.email);
    const res = await fromNewAddress("/sign-in/email", { email: owner.email, password: TEST_PASSWORD });
    expect(res.status, await res.clone().text()).toBe(200);
    // Free again: the next five guesses are judged at once, the sixth waits.
    const statuses: number[] = [];
    for (let i = 0; i <= PASSWORDS.free; i++)
      statuses.push((await guessPassword(owner.email, 300 + i)).status);
    expect(statuses).toEqual([...Array(PASSWORDS.free).fill(401), 429]);
  });

  it("stores no address: counters are keyed by group and an HMAC of the address", async () => {
    const rows = await querySqlite<{ key: string }>(db, "SELECT key FROM accountAttempt");
    expect(rows.length).toBeGreaterThan(0);
    for (const { key } of rows) expect(key).toMatch(/^[a-z-]+:[0-9a-f]{64}$/);
  });
});

describe("the notice of failed sign-ins", () => {
  it("reaches an existing account's address once a window, and never an unknown address", {
    timeout: SLOW,
  }, async () => {
    const stranger = address("nobody");
    const unknownBurst = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => outcome(await guessPassword(stranger, i))),
    );
    expect(unknownBurst.filter(accountLimited).length).toBeGreaterThan(0);

    // The owner's burst (60 above, and more since) crossed the threshold: one notice.
    const notices = async (to: string) =>
      (await readOutbox(ROOT, stage)).filter((m) => m.to === to && m.kind === "failed-sign-ins");
    const deadline = Date.now() + 10_000;
    while ((await notices(owner.email)).length === 0 && Date.now() < deadline) await sleep(100);
    const [notice, ...more] = await notices(owner.email);
    expect(more).toEqual([]);
    expect(notice?.subject).toBe("Failed sign-in attempts on your Limits Test account");
    const failures = Number(/(\d+) attempts to sign in/.exec(notice?.text ?? "")?.[1]);
    expect(failures).toBeGreaterThanOrEqual(PASSWORDS.notifyAfter as number);
    expect(notice?.text).toContain("with a wrong password");
    expect(notice?.text).not.toMatch(/\d+\.\d+\.\d+\.\d+/);

    // The stranger's burst was due a notice too (both rows claimed it), but no account, no mail.
    expect(
      (
        await querySqlite<{ n: number }>(
          db,
          "SELECT count(*) AS n FROM accountAttempt WHERE notifiedAt IS NOT NULL",
        )
      )[0]?.n,
    ).toBeGreaterThanOrEqual(2);
    expect((await readOutbox(ROOT, stage)).filter((m) => m.to === stranger)).toEqual([]);
  });
});

describe("email codes", () => {
  it("sends per account: five at once from five addresses, then the sixth waits", async () => {
    const email = address("sends");
    const after = await lastEmailSeq(stage);
    const results: Outcome[] = [];
    for (let i = 0; i <= SENDS.free; i++) {
      results.push(
        await outcome(await fromNewAddress("/email-otp/send-verification-otp", { email, type: "sign-in" })),
      );
    }
    expect(results.map((o) => o.status)).toEqual([...Array(SENDS.free).fill(200), 429]);
    const last = results.at(-1) as Outcome;
    expect(accountLimited(last)).toBe(true);
    expect(last.retryAfter).toBeGreaterThan(SENDS.firstDelay - 5);
    expect(last.retryAfter).toBeLessThanOrEqual(SENDS.firstDelay);
    const mail = (await readOutbox(ROOT, stage)).filter((m) => m.to === email && m.seq > after);
    expect(mail).toHaveLength(SENDS.free);
  });

  it("verifies per account: 30 wrong codes at once from 30 addresses, only the free five (and a few) are judged", {
    timeout: SLOW,
  }, async () => {
    const email = address("codes");
    const after = await lastEmailSeq(stage);
    expect(
      (await fromNewAddress("/email-otp/send-verification-otp", { email, type: "sign-in" })).status,
    ).toBe(200);
    const code = codeIn(await waitForEmail(stage, email, { after }));
    const wrong = code === "000000" ? "111111" : "000000";
    const burst = await Promise.all(
      Array.from({ length: 30 }, async (_, i) =>
        outcome(
          await fromNewAddress(i % 2 ? "/sign-in/email-otp" : "/email-otp/verify-otp", { email, otp: wrong }),
        ),
      ),
    );
    const judged = burst.filter((o) => !accountLimited(o));
    expect(judged.every((o) => o.status === 400 || o.status === 403)).toBe(true);
    expect(judged.length).toBeGreaterThanOrEqual(CODES.free);
    expect(judged.length).toBeLessThanOrEqual(CODES.free + FEW_MORE);
  });
});
