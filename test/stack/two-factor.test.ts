/**
 * Two-factor sign-in on workerd: enrollment (password, TOTP URI, backup codes, a code to confirm),
 * password sign-in held until the second factor, TOTP codes that work once, backup codes that work
 * once, turning it off, passkeys that skip it, and attempt limits under concurrent guessing. TOTP
 * codes are computed from the enrollment URI (test/support/totp.ts), as an app would.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { querySqlite, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";
import { base32Decode, currentStep, totpAt } from "../support/totp.ts";
import {
  type CreationOptionsJSON,
  type RequestOptionsJSON,
  SoftAuthenticator,
} from "../support/webauthn-authenticator.ts";

const APP = "two-factor-test";
const stage = uniqueStage("two-factor");
const CONFIG = ["--config", "test/fixtures/two-factor.config.ts"];
const PASSWORD = "correct horse battery";
let stack: RunningStack;
let db: string;

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  db = await localD1File(APP, stage);
});

afterAll(async () => {
  await stack?.stop();
});

interface ErrorBody {
  code?: string;
  message?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A person with a password account, their signed-in browser and (once enrolled) their authenticator app. */
interface Person {
  name: string;
  email: string;
  id: string;
  browser: Session;
  secret?: Buffer;
  backupCodes?: string[];
  /** The last time step whose code this person used: the server takes each step once. */
  lastStep: number;
}

let people = 0;
async function signUp(label: string): Promise<Person> {
  const browser = new Session(stack.url);
  const name = `${label}-${++people}`;
  const email = `${name}@example.com`;
  const res = await browser.post("/auth/v1/sign-up/email", { name, email, password: PASSWORD });
  expect(res.status).toBe(200);
  const { user } = (await res.json()) as { user: { id: string } };
  return { name, email, id: user.id, browser, lastStep: 0 };
}

/**
 * The code of the next step this person has not used, within the server's window (one step either
 * side): the current step, else the next one, else wait for time to catch up.
 */
async function nextCode(person: Person): Promise<string> {
  if (!person.secret) throw new Error(`${person.name} has no authenticator`);
  let step = Math.max(person.lastStep + 1, currentStep());
  while (step > currentStep() + 1) await sleep(1000);
  step = Math.max(step, currentStep());
  person.lastStep = step;
  return totpAt(person.secret, step);
}

/** Enrolls a signed-in person: password, then the URI and backup codes, then a code to confirm. */
async function enroll(person: Person): Promise<void> {
  const res = await person.browser.post("/auth/v1/two-factor/enable", { password: PASSWORD });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { totpURI: string; backupCodes: string[] };
  person.secret = base32Decode(new URL(body.totpURI).searchParams.get("secret") ?? "");
  person.backupCodes = body.backupCodes;
  const confirm = await person.browser.post("/auth/v1/two-factor/verify-totp", {
    code: await nextCode(person),
  });
  expect(confirm.status).toBe(200);
}

async function sessionUser(browser: Session): Promise<{ id: string; twoFactorEnabled?: boolean } | null> {
  const res = await browser.get("/auth/v1/get-session");
  expect(res.status).toBe(200);
  const body = (await res.json()) as { user: { id: string; twoFactorEnabled?: boolean } } | null;
  return body?.user ?? null;
}

/** A password sign-in from a new browser, which stops at the second factor. */
async function pendingSignIn(person: Person): Promise<{ browser: Session; cookie: string }> {
  const browser = new Session(stack.url);
  const res = await browser.post("/auth/v1/sign-in/email", { email: person.email, password: PASSWORD });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ twoFactorRedirect: true, twoFactorMethods: ["totp", "otp"] });
  const cookie = res.headers
    .getSetCookie()
    .map((line) => line.split(";")[0] as string)
    .find((pair) => pair.startsWith("better-auth.two_factor="));
  if (!cookie) throw new Error("no two_factor cookie");
  return { browser, cookie };
}

/** One guess at a pending sign-in's second factor, from an address of its own. */
function guess(path: string, cookie: string, code: string, ip: string): Promise<Response> {
  return fetch(new URL(`/auth/v1/two-factor/${path}`, stack.url), {
    method: "POST",
    headers: { "content-type": "application/json", origin: stack.url, cookie, "cf-connecting-ip": ip },
    body: JSON.stringify({ code }),
  });
}

async function sessionCount(userId: string): Promise<number> {
  const [row] = await querySqlite<{ n: number }>(
    db,
    `SELECT count(*) AS n FROM session WHERE userId = '${userId}'`,
  );
  return row?.n ?? 0;
}

describe("enrolling", () => {
  it("takes the password, gives a TOTP URI and 10 backup codes, and is on only once a code confirms it", async () => {
    const person = await signUp("enroll");
    const noPassword = await person.browser.post("/auth/v1/two-factor/enable", {});
    expect(noPassword.status).toBe(400);
    const wrong = await person.browser.post("/auth/v1/two-factor/enable", { password: "not the password" });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as ErrorBody).code).toBe("INVALID_PASSWORD");

    const res = await person.browser.post("/auth/v1/two-factor/enable", { password: PASSWORD });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { totpURI: string; backupCodes: string[] };
    const uri = new URL(body.totpURI);
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(uri.searchParams.get("issuer")).toBe("Acme Two Factor");
    expect(decodeURIComponent(uri.pathname)).toContain(person.email);
    expect(body.backupCodes).toHaveLength(10);
    expect(new Set(body.backupCodes).size).toBe(10);

    // Not confirmed yet: a password still signs in on its own.
    expect((await sessionUser(person.browser))?.twoFactorEnabled).toBe(false);
    const early = new Session(stack.url);
    const signIn = await early.post("/auth/v1/sign-in/email", { email: person.email, password: PASSWORD });
    expect(((await signIn.json()) as { twoFactorRedirect?: boolean }).twoFactorRedirect).toBeUndefined();
    expect((await sessionUser(early))?.id).toBe(person.id);

    person.secret = base32Decode(uri.searchParams.get("secret") ?? "");
    const wrongCode = await person.browser.post("/auth/v1/two-factor/verify-totp", { code: "000000" });
    expect(wrongCode.status).toBe(401);
    const confirm = await person.browser.post("/auth/v1/two-factor/verify-totp", {
      code: await nextCode(person),
    });
    expect(confirm.status).toBe(200);
    expect((await sessionUser(person.browser))?.twoFactorEnabled).toBe(true);
  });
});

describe("signing in with a password", () => {
  it("stops at the second factor with no session, and a TOTP code finishes it", async () => {
    const person = await signUp("totp");
    await enroll(person);
    const before = await sessionCount(person.id);
    const { browser } = await pendingSignIn(person);
    expect(await sessionUser(browser)).toBeNull();
    expect(await sessionCount(person.id)).toBe(before);

    const wrong = await browser.post("/auth/v1/two-factor/verify-totp", { code: "123456" });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as ErrorBody).code).toBe("INVALID_CODE");
    expect(await sessionUser(browser)).toBeNull();

    const res = await browser.post("/auth/v1/two-factor/verify-totp", { code: await nextCode(person) });
    expect(res.status).toBe(200);
    expect((await sessionUser(browser))?.id).toBe(person.id);
  });

  it("skips the second factor for 30 days on a browser trusted at sign-in, and only there", async () => {
    const person = await signUp("trust");
    await enroll(person);
    const { browser } = await pendingSignIn(person);
    const res = await browser.post("/auth/v1/two-factor/verify-totp", {
      code: await nextCode(person),
      trustDevice: true,
    });
    expect(res.status).toBe(200);
    const trust = res.headers.getSetCookie().find((line) => line.startsWith("better-auth.trust_device="));
    expect(trust).toMatch(/Max-Age=2592000/i);

    const again = await browser.post("/auth/v1/sign-in/email", { email: person.email, password: PASSWORD });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { twoFactorRedirect?: boolean }).twoFactorRedirect).toBeUndefined();
    expect((await sessionUser(browser))?.id).toBe(person.id);
    // Another browser is still asked.
    await pendingSignIn(person);
  });

  it("takes each TOTP code once: a used code is refused in its window, sequentially and at once", async () => {
    const person = await signUp("replay");
    await enroll(person);
    const first = await pendingSignIn(person);
    const code = await nextCode(person);
    expect((await first.browser.post("/auth/v1/two-factor/verify-totp", { code })).status).toBe(200);

    const second = await pendingSignIn(person);
    const replay = await second.browser.post("/auth/v1/two-factor/verify-totp", { code });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as ErrorBody).code).toBe("TOTP_CODE_ALREADY_USED");
    expect(await sessionUser(second.browser)).toBeNull();

    // Two pending sign-ins race with the same fresh code: one gets in.
    const third = await pendingSignIn(person);
    const fresh = await nextCode(person);
    const raced = await Promise.all(
      [second, third].map((p) => p.browser.post("/auth/v1/two-factor/verify-totp", { code: fresh })),
    );
    expect(raced.map((r) => r.status).sort()).toEqual([200, 401]);
    // Three codes from one authenticator: the third waits for the clock's next 30 s step.
  }, 75_000);

  it("takes each backup code once, also when two sign-ins race with it", async () => {
    const person = await signUp("backup");
    await enroll(person);
    const [a, b, c] = person.backupCodes ?? [];
    const first = await pendingSignIn(person);
    expect((await first.browser.post("/auth/v1/two-factor/verify-backup-code", { code: a })).status).toBe(
      200,
    );
    expect((await sessionUser(first.browser))?.id).toBe(person.id);

    const second = await pendingSignIn(person);
    const reused = await second.browser.post("/auth/v1/two-factor/verify-backup-code", { code: a });
    expect(reused.status).toBe(401);
    expect(((await reused.json()) as ErrorBody).code).toBe("INVALID_BACKUP_CODE");
    expect((await second.browser.post("/auth/v1/two-factor/verify-backup-code", { code: b })).status).toBe(
      200,
    );

    const racers = [await pendingSignIn(person), await pendingSignIn(person)];
    const raced = await Promise.all(
      racers.map((p) => p.browser.post("/auth/v1/two-factor/verify-backup-code", { code: c })),
    );
    expect(raced.filter((r) => r.status === 200)).toHaveLength(1);
    const signedIn = await Promise.all(racers.map((p) => sessionUser(p.browser)));
    expect(signedIn.filter((user) => user?.id === person.id)).toHaveLength(1);
  });

  it("is not asked of a passkey sign-in: a passkey is two factors already", async () => {
    const person = await signUp("passkey");
    await enroll(person);
    const authenticator = await SoftAuthenticator.create();
    const options = await person.browser.request("/auth/v1/passkey/register/options", { method: "POST" });
    const credential = await authenticator.register(
      (await options.json()) as CreationOptionsJSON,
      stack.url,
      { fmt: "none" },
    );
    expect((await person.browser.post("/auth/v1/passkey/register/verify", credential)).status).toBe(200);

    const visitor = new Session(stack.url);
    const challenge = await visitor.request("/auth/v1/passkey/authenticate/options", { method: "POST" });
    const assertion = await authenticator.authenticate(
      (await challenge.json()) as RequestOptionsJSON,
      stack.url,
    );
    const res = await visitor.post("/auth/v1/passkey/authenticate/verify", assertion);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { twoFactorRedirect?: boolean }).twoFactorRedirect).toBeUndefined();
    expect((await sessionUser(visitor))?.id).toBe(person.id);
  });
});

describe("turning it off", () => {
  it("needs the password; afterwards a password alone signs in", async () => {
    const person = await signUp("disable");
    await enroll(person);
    const noPassword = await person.browser.post("/auth/v1/two-factor/disable", {});
    expect(noPassword.status).toBe(400);
    const wrong = await person.browser.post("/auth/v1/two-factor/disable", { password: "not the password" });
    expect(wrong.status).toBe(400);
    expect((await sessionUser(person.browser))?.twoFactorEnabled).toBe(true);

    const res = await person.browser.post("/auth/v1/two-factor/disable", { password: PASSWORD });
    expect(res.status).toBe(200);
    expect((await sessionUser(person.browser))?.twoFactorEnabled).toBe(false);
    const rows = await querySqlite(db, `SELECT id FROM twoFactor WHERE userId = '${person.id}'`);
    expect(rows).toEqual([]);

    const browser = new Session(stack.url);
    const signIn = await browser.post("/auth/v1/sign-in/email", { email: person.email, password: PASSWORD });
    expect(signIn.status).toBe(200);
    expect((await sessionUser(browser))?.id).toBe(person.id);
  });
  it("without a password on the account, needs a sign-in of the last 5 minutes instead", async () => {
    const person = await signUp("no-password");
    await enroll(person);
    const authenticator = await SoftAuthenticator.create();
    const options = await person.browser.request("/auth/v1/passkey/register/options", { method: "POST" });
    const credential = await authenticator.register((await options.json()) as CreationOptionsJSON, stack.url);
    expect((await person.browser.post("/auth/v1/passkey/register/verify", credential)).status).toBe(200);
    // The password goes (as when it is unlinked once a provider is linked), and the sign-in grows old.
    await querySqlite(db, `DELETE FROM account WHERE providerId = 'credential' AND userId = '${person.id}'`);
    await querySqlite(db, `UPDATE session SET createdAt = createdAt - 600000 WHERE userId = '${person.id}'`);
    // Refused, with no password or with any password at all (the account has none to match).
    for (const body of [{}, { password: "anything at all" }]) {
      const stale = await person.browser.post("/auth/v1/two-factor/disable", body);
      expect(stale.status).toBe(403);
      expect(await stale.json()).toMatchObject({
        code: "SIGN_IN_AGAIN_TO_TURN_OFF",
        message: "Sign in again (within the last 5 minutes) to turn two-factor off.",
      });
    }
    expect((await sessionUser(person.browser))?.twoFactorEnabled).toBe(true);
    // Nor do new backup codes come without a password, whatever is sent as one.
    for (const body of [{}, { password: "anything at all" }]) {
      const codes = await person.browser.post("/auth/v1/two-factor/generate-backup-codes", body);
      expect(codes.status).toBe(400);
      expect(((await codes.json()) as ErrorBody).code).toBe("INVALID_PASSWORD");
    }

    // A passkey sign-in just now: it goes off without a password.
    const challenge = await person.browser.request("/auth/v1/passkey/authenticate/options", {
      method: "POST",
    });
    const assertion = await authenticator.authenticate(
      (await challenge.json()) as RequestOptionsJSON,
      stack.url,
    );
    expect((await person.browser.post("/auth/v1/passkey/authenticate/verify", assertion)).status).toBe(200);
    const res = await person.browser.post("/auth/v1/two-factor/disable", {});
    expect(res.status).toBe(200);
    expect((await sessionUser(person.browser))?.twoFactorEnabled).toBe(false);
    expect(await querySqlite(db, `SELECT id FROM twoFactor WHERE userId = '${person.id}'`)).toEqual([]);
  });
});

describe("guessing the second factor (per-account limits, 5 free guesses)", () => {
  let burst = 0;
  /** Many guesses in flight at once, each from an address of its own, so only the per-account limit can hold. */
  async function burstOf(path: string, cookies: string[], codes: string[]) {
    const net = ++burst;
    const started = Date.now();
    const responses = await Promise.all(
      codes.map((code, i) =>
        guess(path, cookies[i % cookies.length] as string, code, `198.18.${net}.${i + 1}`),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    const bodies = await Promise.all(
      responses.map(async (r) => (await r.json()) as ErrorBody & { error?: string }),
    );
    return {
      codes: bodies.map((body) => body.code),
      judged: bodies.filter((body) => body.code === "INVALID_CODE" || body.code === "INVALID_BACKUP_CODE")
        .length,
      limited: bodies.filter((body) => body.error === "too_many_attempts_for_account").length,
      retryAfter: Math.max(0, ...responses.map((r) => Number(r.headers.get("retry-after") ?? 0))),
      /**
       * The documented schedule: 5 guesses free, then one after 1 s, 2 s, 4 s … A burst that lasts
       * d seconds on a busy machine can have 5 + log2(d + 1) let through, never more.
       */
      allowed: 5 + Math.floor(Math.log2(seconds + 1)),
    };
  }

  /**
   * One pending sign-in under a burst: the account's limit turns away all but the schedule's few;
   * of those, Better Auth judges one at a time (a guess that lost the race for the challenge is 401
   * INVALID_TWO_FACTOR_COOKIE) and burns the sign-in after 5 judged (400 TOO_MANY_ATTEMPTS_…).
   */
  function expectHeld(result: Awaited<ReturnType<typeof burstOf>>) {
    const known = [
      "INVALID_CODE",
      "INVALID_BACKUP_CODE",
      "INVALID_TWO_FACTOR_COOKIE",
      "TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE",
    ];
    const passed = result.codes.filter((code) => known.includes(code ?? ""));
    expect(passed.length + result.limited, JSON.stringify(result.codes)).toBe(50);
    expect(passed.length).toBeLessThanOrEqual(result.allowed);
    expect(result.judged).toBeGreaterThanOrEqual(1);
    expect(result.judged).toBeLessThanOrEqual(5);
  }

  /** Six-digit codes that are none of the person's codes in the server's window. */
  function wrongTotpCodes(person: Person, n: number): string[] {
    const now = currentStep();
    const valid = new Set([-1, 0, 1, 2].map((d) => totpAt(person.secret as Buffer, now + d)));
    const codes: string[] = [];
    for (let i = 0; codes.length < n; i++) {
      const code = String(100_000 + i * 7919).padStart(6, "0");
      if (!valid.has(code)) codes.push(code);
    }
    return codes;
  }

  /** The documented outcome of the right code after a burst: the pending sign-in survives fewer than 5 judged wrong codes. */
  async function rightCodeAfter(
    path: string,
    cookie: string,
    code: string,
    judged: number,
    retryAfter: number,
  ) {
    await sleep(retryAfter * 1000);
    const res = await guess(path, cookie, code, "198.18.255.1");
    if (judged >= 5) {
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).code).toBe("TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE");
    } else {
      expect(res.status).toBe(200);
    }
    return res.status === 200;
  }

  /** The owner signs in again with the right factor once the account's wait is over. */
  async function ownerSignsIn(person: Person, path: string, code: () => Promise<string>) {
    const { browser } = await pendingSignIn(person);
    const value = await code();
    for (let tries = 0; tries < 5; tries++) {
      const res = await browser.post(`/auth/v1/two-factor/${path}`, { code: value });
      if (res.status !== 429) {
        expect(res.status).toBe(200);
        expect((await sessionUser(browser))?.id).toBe(person.id);
        return;
      }
      await sleep(Number(res.headers.get("retry-after") ?? 1) * 1000);
    }
    throw new Error("the owner was still turned away");
  }

  it("50 wrong TOTP codes at once against one pending sign-in: at most 5 judged, the rest 429", async () => {
    const person = await signUp("burst-totp");
    await enroll(person);
    const { cookie } = await pendingSignIn(person);
    const result = await burstOf("verify-totp", [cookie], wrongTotpCodes(person, 50));
    expectHeld(result);
    expect(await sessionCount(person.id)).toBe(1); // the enrollment browser's only

    const right = await nextCode(person);
    const in_ = await rightCodeAfter("verify-totp", cookie, right, result.judged, result.retryAfter);
    if (!in_) await ownerSignsIn(person, "verify-totp", () => nextCode(person));
  });

  it("50 wrong backup codes at once against one pending sign-in: at most 5 judged, the rest 429", async () => {
    const person = await signUp("burst-backup");
    await enroll(person);
    const { cookie } = await pendingSignIn(person);
    const wrong = Array.from({ length: 50 }, (_, i) => `wrong-${String(i).padStart(5, "0")}`);
    const result = await burstOf("verify-backup-code", [cookie], wrong);
    expectHeld(result);

    const [first, second] = person.backupCodes ?? [];
    const in_ = await rightCodeAfter(
      "verify-backup-code",
      cookie,
      first as string,
      result.judged,
      result.retryAfter,
    );
    await ownerSignsIn(person, "verify-backup-code", async () => (in_ ? second : first) as string);
  });

  it("counts guesses per account, not per pending sign-in: 10 sign-ins, 1 guess each, at most 5 judged", async () => {
    const person = await signUp("burst-many");
    await enroll(person);
    const cookies: string[] = [];
    for (let i = 0; i < 10; i++) cookies.push((await pendingSignIn(person)).cookie);
    const result = await burstOf("verify-totp", cookies, wrongTotpCodes(person, 10));
    // Better Auth alone would judge all 10 (5 a sign-in; its account lock counts only after the fact).
    expect(result.judged, JSON.stringify(result.codes)).toBeLessThanOrEqual(result.allowed);
    expect(result.limited).toBe(10 - result.judged);
    await ownerSignsIn(person, "verify-totp", () => nextCode(person));
  });
});
