/**
 * Security review, part 2: an attacker's view of passwordless sign-in (email codes, magic links,
 * passkeys) and guests, on one stack with verification required. Each test is a way in where someone
 * does not belong; the ones that found a hole are named in docs/RELIABILITY.md with their fix.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { codeIn, lastEmailSeq, linkIn, waitForEmail } from "../support/outbox.ts";
import { querySqlite, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";
import {
  type CreationOptionsJSON,
  type RequestOptionsJSON,
  SoftAuthenticator,
} from "../support/webauthn-authenticator.ts";

const APP = "secrev-passwordless-test";
const stage = uniqueStage("secrevpw");
const CONFIG = ["--config", "test/hardening/fixtures/security-review-passwordless.config.ts"];
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

let counter = 0;
const address = (label: string) => `${label}-${++counter}-${stage}@example.com`;

interface SessionBody {
  user: { id: string; email: string; emailVerified: boolean; isAnonymous?: boolean };
  session: { id: string };
}

async function sessionOf(browser: Session): Promise<SessionBody | null> {
  return (await (await browser.get("/auth/v1/get-session")).json()) as SessionBody | null;
}

/** Asks for a code of `type` and returns it from the outbox. */
async function sendCode(email: string, type = "sign-in", browser = new Session(stack.url)): Promise<string> {
  const after = await lastEmailSeq(stage);
  const res = await browser.post("/auth/v1/email-otp/send-verification-otp", { email, type });
  expect(res.status, await res.clone().text()).toBe(200);
  return codeIn(await waitForEmail(stage, email, { after }));
}

/** A guest asks for a code to prove `email` as its own address; returns the code from the outbox. */
async function sendCodeForEmailChange(browser: Session, email: string): Promise<string> {
  const after = await lastEmailSeq(stage);
  const res = await browser.post("/auth/v1/email-otp/request-email-change", { newEmail: email });
  expect(res.status, await res.clone().text()).toBe(200);
  return codeIn(await waitForEmail(stage, email, { after }));
}

/** A user who signed up with an email code (verified): a browser with their session. */
async function codeUser(label: string) {
  const email = address(label);
  const browser = new Session(stack.url);
  const res = await browser.post("/auth/v1/sign-in/email-otp", { email, otp: await sendCode(email) });
  expect(res.status, await res.clone().text()).toBe(200);
  const cookie = cookiePair(res, "better-auth.session_token");
  return { browser, email, cookie, id: ((await res.json()) as { user: { id: string } }).user.id };
}

/** `name=value` of a cookie a response set, to replay it by hand. */
function cookiePair(res: Response, name: string): string {
  const pair = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] as string)
    .find((c) => c.startsWith(`${name}=`));
  if (!pair) throw new Error(`no ${name} cookie in ${res.headers.getSetCookie().join(" | ")}`);
  return pair;
}

/** Asks for a magic link and returns it from the outbox. */
async function requestLink(email: string, body: Record<string, unknown> = {}) {
  const after = await lastEmailSeq(stage);
  const res = await new Session(stack.url).post("/auth/v1/magic-link/send", { email, ...body });
  expect(res.status, await res.clone().text()).toBe(200);
  return linkIn(await waitForEmail(stage, email, { after }), "/auth/v1/magic-link/verify");
}

function sessionCookie(res: Response): string | undefined {
  // A cookie set to nothing (Max-Age=0) is a sign-out, not a session.
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith("better-auth.session_token=") && !c.startsWith("better-auth.session_token=;"));
}

/** Registers a software passkey for a signed-in browser at the seed's paths. */
async function registerPasskey(browser: Session) {
  const authenticator = await SoftAuthenticator.create();
  const options = await browser.request("/auth/v1/passkey/register/options", { method: "POST" });
  expect(options.status, await options.clone().text()).toBe(200);
  const credential = await authenticator.register((await options.json()) as CreationOptionsJSON, stack.url);
  const res = await browser.post("/auth/v1/passkey/register/verify", credential);
  expect(res.status, await res.clone().text()).toBe(200);
  return { authenticator, id: ((await res.json()) as { id: string }).id };
}

/** Signs a new browser in with a passkey: the response of authenticate/verify. */
async function passkeySignIn(authenticator: SoftAuthenticator) {
  const browser = new Session(stack.url);
  const options = await browser.request("/auth/v1/passkey/authenticate/options", { method: "POST" });
  expect(options.status).toBe(200);
  const assertion = await authenticator.authenticate((await options.json()) as RequestOptionsJSON, stack.url);
  return { browser, res: await browser.post("/auth/v1/passkey/authenticate/verify", assertion) };
}

async function createApiKey(browser: Session): Promise<string> {
  const res = await browser.post("/auth/v1/api-key/create", {});
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { key: string }).key;
}

const meWithKey = (key: string) => fetch(`${stack.url}/api/v1/me`, { headers: { "x-api-key": key } });

async function guest() {
  const browser = new Session(stack.url);
  const res = await browser.post("/auth/v1/sign-in/anonymous", {});
  expect(res.status, await res.clone().text()).toBe(200);
  return { browser, id: ((await res.json()) as { user: { id: string } }).user.id };
}

const rows = <T>(sql: string) => querySqlite<T>(db, sql);

describe("email codes", () => {
  it("a new code replaces the previous one: the old code no longer signs in", async () => {
    const email = address("resend");
    const first = await sendCode(email);
    const second = await sendCode(email);
    if (first === second) return; // one in a million: nothing to tell apart
    const browser = new Session(stack.url);
    const old = await browser.post("/auth/v1/sign-in/email-otp", { email, otp: first });
    expect(old.status).toBe(400);
    expect(sessionCookie(old), old.headers.getSetCookie().join(" | ")).toBeUndefined();
    const current = await browser.post("/auth/v1/sign-in/email-otp", { email, otp: second });
    expect(current.status).toBe(200);
  });

  it("counts wrong guesses per code, whichever path and address they come from: 3, then even the right code is refused", async () => {
    const email = address("spray");
    const code = await sendCode(email);
    const wrong = code === "000000" ? "111111" : "000000";
    // One after another: guesses sent at once are judged one at a time (test/hardening/one-time-secrets).
    const guesses: [string, Record<string, string>][] = [
      ["/auth/v1/email-otp/verify-otp", { email, otp: wrong }],
      ["/auth/v1/sign-in/email-otp", { email, otp: wrong }],
      ["/auth/v1/email-otp/verify-otp", { email, otp: wrong, type: "sign-in" }],
    ];
    for (const [path, body] of guesses)
      expect((await new Session(stack.url).post(path, body)).status).toBe(400);
    const right = await new Session(stack.url).post("/auth/v1/sign-in/email-otp", { email, otp: code });
    expect(right.status).toBeGreaterThanOrEqual(400);
    expect(sessionCookie(right)).toBeUndefined();
    expect(await rows(`SELECT id FROM user WHERE email = '${email}'`)).toEqual([]);
  });

  it("limits code guessing per address: the 11th sign-in attempt in a minute is a 429, at the seed's path too", async () => {
    const attacker = new Session(stack.url);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const path = i % 2 ? "/auth/v1/sign-in/email-otp" : "/auth/v1/email-otp/verify-otp";
      statuses.push((await attacker.post(path, { email: address("victim"), otp: "123456" })).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it("keeps types apart: a verification or reset code does not sign in, a sign-in code does not reset a password", async () => {
    const { email } = await codeUser("types");
    const verification = await sendCode(email, "email-verification");
    const reset = await sendCode(email, "forget-password");
    for (const otp of [verification, reset]) {
      const res = await new Session(stack.url).post("/auth/v1/sign-in/email-otp", { email, otp });
      expect(res.status).toBe(400);
      expect(sessionCookie(res)).toBeUndefined();
    }
    for (const type of ["sign-in", "email-verification"]) {
      const res = await new Session(stack.url).post("/auth/v1/email-otp/reset-password", {
        email,
        otp: await sendCode(email, type),
        password: "a brand new password",
      });
      expect(res.status, type).toBe(400);
    }
    expect(
      await rows(`SELECT id FROM account WHERE providerId = 'credential' AND userId IN
      (SELECT id FROM user WHERE email = '${email}')`),
    ).toEqual([]);
  });

  it("binds a code to its address: alice's code does not sign in as bob", async () => {
    const bob = await codeUser("bob");
    const alice = address("alice");
    const aliceCode = await sendCode(alice);
    await sendCode(bob.email); // bob has a live code too
    const res = await new Session(stack.url).post("/auth/v1/sign-in/email-otp", {
      email: bob.email,
      otp: aliceCode,
    });
    expect(res.status).toBe(400);
    expect(sessionCookie(res)).toBeUndefined();
  });

  it("refuses an expired code (its row aged in D1) and removes it", async () => {
    const email = address("late");
    const code = await sendCode(email);
    await rows(
      `UPDATE verification SET expiresAt = ${Date.now() - 1000} WHERE identifier = 'sign-in-otp-${email}'`,
    );
    const res = await new Session(stack.url).post("/auth/v1/sign-in/email-otp", { email, otp: code });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("OTP_EXPIRED");
    expect(await rows(`SELECT id FROM user WHERE email = '${email}'`)).toEqual([]);
  });

  it("stores no code as sent: D1 holds a keyed hash", async () => {
    const email = address("stored");
    const code = await sendCode(email);
    const [row] = await rows<{ value: string }>(
      `SELECT value FROM verification WHERE identifier = 'sign-in-otp-${email}'`,
    );
    expect(row?.value).toMatch(/^[\w-]{43}:0$/);
    expect(row?.value).not.toContain(code);
  });
});

describe("magic links", () => {
  it("signs in only the address it was sent to, once; the token is long and not stored as sent", async () => {
    const email = address("link");
    const link = await requestLink(email, { callbackURL: "/home" });
    const token = new URL(link).searchParams.get("token") as string;
    expect(token).toMatch(/^[A-Za-z]{32,}$/);
    expect(await rows(`SELECT id FROM verification WHERE identifier = '${token}'`)).toEqual([]);
    const browser = new Session(stack.url);
    const first = await browser.get(new URL(link).pathname + new URL(link).search);
    expect(first.status).toBe(302);
    expect((await sessionOf(browser))?.user.email).toBe(email);
    const second = await new Session(stack.url).get(new URL(link).pathname + new URL(link).search);
    expect(sessionCookie(second)).toBeUndefined();
    expect(second.headers.get("location")).toContain("error=INVALID_TOKEN");
  });

  it("is refused after it expires (its row aged in D1)", async () => {
    const email = address("stale");
    const link = await requestLink(email);
    await rows(`UPDATE verification SET expiresAt = ${Date.now() - 1000} WHERE value LIKE '%${email}%'`);
    const res = await fetch(link, { redirect: "manual" });
    expect(sessionCookie(res)).toBeUndefined();
    expect(await rows(`SELECT id FROM user WHERE email = '${email}'`)).toEqual([]);
  });

  it("sends the verify redirect with Referrer-Policy: no-referrer, so the token does not leak onward", async () => {
    const link = await requestLink(address("referer"), { callbackURL: "/home" });
    const res = await fetch(link, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("cache-control")).toContain("no-store");
  });

  const host = () => new URL(stack.url).host;
  const openRedirects = () => [
    "//evil.example/x",
    "/\\evil.example/x",
    "\\\\evil.example/x",
    "/%5Cevil.example/x",
    "%2F%2Fevil.example/x",
    "/%2F/evil.example/x",
    `http://${host()}@evil.example/x`,
    `http://${host()}.evil.example/x`,
    "https:evil.example/x",
    "/\t/evil.example/x",
    "javascript:alert(1)",
  ];

  it("refuses to send a link with an open-redirect callbackURL, newUserCallbackURL or errorCallbackURL", async () => {
    // An address per try: every send attempt counts against its account (worker/auth/account-limits).
    const label = `redirect-${stage}`;
    for (const target of openRedirects()) {
      for (const field of ["callbackURL", "newUserCallbackURL", "errorCallbackURL"]) {
        const email = address(label);
        const res = await new Session(stack.url).post("/auth/v1/magic-link/send", { email, [field]: target });
        expect(res.status, `${field}=${target}`).toBe(403);
      }
    }
    const emails = await rows(`SELECT 1 FROM verification WHERE value LIKE '%${label}%'`);
    expect(emails).toEqual([]);
  });

  it("never redirects off-site when a link's callback URLs are rewritten, and the genuine link still works", async () => {
    const email = address("rewrite");
    const link = await requestLink(email, { callbackURL: "/home" });
    for (const target of openRedirects()) {
      for (const field of ["callbackURL", "newUserCallbackURL", "errorCallbackURL"]) {
        const tampered = new URL(link);
        tampered.searchParams.set(field, target);
        const res = await new Session(stack.url).get(tampered.pathname + tampered.search);
        const location = res.headers.get("location");
        if (location) expect(new URL(location, stack.url).origin, `${field}=${target}`).toBe(stack.url);
        expect(sessionCookie(res), `${field}=${target}`).toBeUndefined();
      }
    }
    const genuine = await fetch(link, { redirect: "manual" });
    expect(genuine.headers.get("location")).toBe(`${stack.url}/home`);
    expect(sessionCookie(genuine)).toBeDefined();
  });
});

describe("passkeys", () => {
  it("registering one needs a fresh session: a day-old session gets options refused", async () => {
    const user = await codeUser("stale-session");
    const session = await sessionOf(user.browser);
    await rows(
      `UPDATE session SET createdAt = ${Date.now() - 2 * 86_400_000} WHERE id = '${session?.session.id}'`,
    );
    const res = await user.browser.request("/auth/v1/passkey/register/options", { method: "POST" });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe("SESSION_NOT_FRESH");
  });

  it("a registration challenge is bound to the user who asked for it: finished in another session, nothing is stored", async () => {
    const alice = await codeUser("pk-started");
    const bob = await codeUser("pk-finisher");
    const options = await alice.browser.request("/auth/v1/passkey/register/options", { method: "POST" });
    expect(options.status).toBe(200);
    const challenge = cookiePair(options, "better-auth.better-auth-passkey");
    const credential = await (await SoftAuthenticator.create()).register(
      (await options.json()) as CreationOptionsJSON,
      stack.url,
    );
    const res = await new Session(stack.url).request("/auth/v1/passkey/register/verify", {
      method: "POST",
      json: credential,
      headers: { cookie: `${bob.cookie}; ${challenge}` },
    });
    expect(res.status).toBe(401);
    expect(await rows(`SELECT id FROM passkey WHERE userId IN ('${alice.id}', '${bob.id}')`)).toEqual([]);
  });

  it("an assertion signed by another key does not sign in as the passkey it names", async () => {
    const alice = await codeUser("pk-target");
    const { authenticator: alices } = await registerPasskey(alice.browser);
    const mallorys = await SoftAuthenticator.create();
    const browser = new Session(stack.url);
    const options = await browser.request("/auth/v1/passkey/authenticate/options", { method: "POST" });
    const assertion = await mallorys.authenticate((await options.json()) as RequestOptionsJSON, stack.url);
    const forged = { ...assertion, id: alices.id, rawId: alices.id };
    const res = await browser.post("/auth/v1/passkey/authenticate/verify", forged);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(sessionCookie(res)).toBeUndefined();
    expect(await sessionOf(browser)).toBeNull();
  });

  it("a passkey signs in its own user only, and cannot be renamed or deleted by another user", async () => {
    const alice = await codeUser("pk-alice");
    const mallory = await codeUser("pk-mallory");
    const { authenticator, id } = await registerPasskey(alice.browser);

    const { browser, res } = await passkeySignIn(authenticator);
    expect(res.status).toBe(200);
    expect((await sessionOf(browser))?.user.id).toBe(alice.id);

    const rename = await mallory.browser.post("/auth/v1/passkey/update-passkey", { id, name: "pwned" });
    expect(rename.status).toBeGreaterThanOrEqual(400);
    const remove = await mallory.browser.post("/auth/v1/passkey/delete-passkey", { id });
    expect(remove.status).toBeGreaterThanOrEqual(400);
    expect(await rows(`SELECT userId, name FROM passkey WHERE id = '${id}'`)).toEqual([
      { userId: alice.id, name: null },
    ]);
    const list = await mallory.browser.get("/auth/v1/passkey/list-user-passkeys");
    expect(await list.json()).toEqual([]);
  });
});

describe("guests", () => {
  it("limits guest sign-ins to 10 a minute per address", async () => {
    const ip = new Session(stack.url).ip;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await new Session(stack.url, ip).post("/auth/v1/sign-in/anonymous", {})).status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses[10]).toBe(429);
  });

  it("cannot upgrade into an account that exists; after an upgrade the guest cookie upgrades nothing more", async () => {
    const owner = await codeUser("owner");
    const { browser, id } = await guest();
    const taken = await browser.post("/auth/v1/upgrade-anonymous", {
      email: owner.email.toUpperCase(),
      password: PASSWORD,
    });
    expect(taken.status).toBe(409);
    expect(await rows(`SELECT id FROM user WHERE email = '${owner.email}'`)).toEqual([{ id: owner.id }]);
    expect(await rows(`SELECT COUNT(*) AS n FROM account WHERE userId = '${owner.id}'`)).toEqual([{ n: 0 }]);
    const own = await browser.post("/auth/v1/upgrade-anonymous", {
      email: address("guest"),
      password: PASSWORD,
    });
    expect(own.status, await own.clone().text()).toBe(200);
    const again = await browser.post("/auth/v1/upgrade-anonymous", {
      email: address("again"),
      password: PASSWORD,
    });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(await rows(`SELECT isAnonymous FROM user WHERE id = '${id}'`)).toEqual([{ isAnonymous: 0 }]);
  });

  it("on /api/v1 a guest has its own id, no organization, and says it is a guest, by cookie, token and key", async () => {
    const { browser, id } = await guest();
    const token = await browser.post("/api/v1/token", {});
    expect(token.status).toBe(200);
    const { token: jwt } = (await token.json()) as { token: string };
    const key = await createApiKey(browser);
    const answers = [
      await browser.get("/api/v1/me"),
      await fetch(`${stack.url}/api/v1/me`, { headers: { authorization: `Bearer ${jwt}` } }),
      await meWithKey(key),
    ];
    for (const me of answers) {
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ userId: id, orgId: null, roles: [], isAnonymous: true });
    }
    // A full user says it is not one.
    const user = await codeUser("full");
    expect(await (await user.browser.get("/api/v1/me")).json()).toMatchObject({ isAnonymous: false });
  });
});

describe("guests upgrading with {} (nothing added, so nothing unproven may count)", () => {
  it("a placeholder address is no sign-in: {} is refused and the guest stays a guest", async () => {
    const { browser, id } = await guest();
    const res = await browser.post("/auth/v1/upgrade-anonymous", {});
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "VERIFIED_EMAIL_REQUIRED" });
    expect(await rows(`SELECT isAnonymous, emailVerified FROM user WHERE id = '${id}'`)).toEqual([
      { isAnonymous: 1, emailVerified: 0 },
    ]);
  });

  it("a passkey alone is not enough when verification is required (it could not sign in after)", async () => {
    const { browser, id } = await guest();
    await registerPasskey(browser);
    const res = await browser.post("/auth/v1/upgrade-anonymous", {});
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "VERIFIED_EMAIL_REQUIRED" });
    expect((await sessionOf(browser))?.user).toMatchObject({ id, isAnonymous: true });
  });

  it("asking for a code to someone else's address, or to a taken one, proves nothing: no address, no upgrade", async () => {
    const owner = await codeUser("taken");
    const { browser, id } = await guest();
    const victim = address("victim");
    for (const newEmail of [victim, owner.email]) {
      const asked = await browser.post("/auth/v1/email-otp/request-email-change", { newEmail });
      expect(asked.status).toBe(200);
      // Mallory does not have the code; a guess is refused and changes nothing.
      const guess = await browser.post("/auth/v1/email-otp/change-email", { newEmail, otp: "000000" });
      expect(guess.status).toBe(400);
    }
    const res = await browser.post("/auth/v1/upgrade-anonymous", {});
    expect(res.status).toBe(400);
    const [row] = await rows<{ email: string; isAnonymous: number }>(
      `SELECT email, isAnonymous FROM user WHERE id = '${id}'`,
    );
    expect(row?.isAnonymous).toBe(1);
    expect([victim, owner.email]).not.toContain(row?.email);
  });

  it("an email-change code is bound to the guest who asked: another signed-in guest cannot use it", async () => {
    const alice = await guest();
    const mallory = await guest();
    const email = address("bound");
    const code = await sendCodeForEmailChange(alice.browser, email);
    const stolen = await mallory.browser.post("/auth/v1/email-otp/change-email", {
      newEmail: email,
      otp: code,
    });
    expect(stolen.status).toBe(400);
    expect(await rows(`SELECT id FROM user WHERE email = '${email}'`)).toEqual([]);
    // The code was not used up by the attempt: the guest who asked still proves the address with it.
    const own = await alice.browser.post("/auth/v1/email-otp/change-email", { newEmail: email, otp: code });
    expect(own.status, await own.clone().text()).toBe(200);
    expect(await rows(`SELECT id FROM user WHERE email = '${email}'`)).toEqual([{ id: alice.id }]);
  });

  it("changes no address by link until the new address follows it: the link goes there, the old one gets a notice", async () => {
    const user = await codeUser("linkless");
    const newEmail = address("elsewhere");
    const after = await lastEmailSeq(stage);
    const res = await user.browser.post("/auth/v1/change-email", { newEmail });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await waitForEmail(stage, newEmail, { after })).kind).toBe("email-change");
    expect((await waitForEmail(stage, user.email, { after })).kind).toBe("email-change-notice");
    // Asking changed nothing: the session, the row, and no account holds the new address.
    expect((await sessionOf(user.browser))?.user.email).toBe(user.email);
    expect(await rows(`SELECT id FROM user WHERE email = '${newEmail}'`)).toEqual([]);
  });

  it("an address the guest proved by code upgrades with {} and gets a session at once, verification and all", async () => {
    const { browser, id } = await guest();
    const email = address("proved");
    const code = await sendCodeForEmailChange(browser, email);
    const change = await browser.post("/auth/v1/email-otp/change-email", { newEmail: email, otp: code });
    expect(change.status, await change.clone().text()).toBe(200);
    const res = await browser.post("/auth/v1/upgrade-anonymous", {});
    expect(res.status, await res.clone().text()).toBe(200);
    expect(sessionCookie(res)).toBeDefined();
    expect((await sessionOf(browser))?.user).toMatchObject({
      id,
      email,
      emailVerified: true,
      isAnonymous: false,
    });
    expect(await (await browser.get("/api/v1/me")).json()).toMatchObject({ userId: id, isAnonymous: false });
  });
});

describe("pre-registered accounts (someone claims an address before its owner signs in)", () => {
  /**
   * Mallory starts as a guest, adds a passkey and an API key, then upgrades to Victor's address (not
   * verified). When Victor proves the address with a code or a link, nothing Mallory set up may still
   * open the account: not the password, not a session, not the passkey, not the key.
   */
  async function claimAs(victim: string) {
    const mallory = await guest();
    const { authenticator } = await registerPasskey(mallory.browser);
    const key = await createApiKey(mallory.browser);
    const upgrade = await mallory.browser.post("/auth/v1/upgrade-anonymous", {
      email: victim,
      password: PASSWORD,
    });
    expect(upgrade.status, await upgrade.clone().text()).toBe(200);
    return { ...mallory, authenticator, key };
  }

  async function expectLockedOut(mallory: Awaited<ReturnType<typeof claimAs>>, victim: string) {
    expect(await sessionOf(mallory.browser)).toBeNull();
    const password = await new Session(stack.url).post("/auth/v1/sign-in/email", {
      email: victim,
      password: PASSWORD,
    });
    expect(password.status).toBeGreaterThanOrEqual(400);
    expect(sessionCookie(password)).toBeUndefined();
    const { res } = await passkeySignIn(mallory.authenticator);
    expect(res.status).toBe(401);
    expect(sessionCookie(res)).toBeUndefined();
    expect((await meWithKey(mallory.key)).status).toBe(401);
    expect(await rows(`SELECT id FROM passkey WHERE userId = '${mallory.id}'`)).toEqual([]);
    expect(await rows(`SELECT id FROM apikey WHERE referenceId = '${mallory.id}'`)).toEqual([]);
  }

  it("the owner's first email-code sign-in shuts out everything the claimant set up", async () => {
    const victim = address("victor");
    const mallory = await claimAs(victim);
    const owner = new Session(stack.url);
    const res = await owner.post("/auth/v1/sign-in/email-otp", {
      email: victim,
      otp: await sendCode(victim),
    });
    expect(res.status).toBe(200);
    expect((await sessionOf(owner))?.user).toMatchObject({ id: mallory.id, emailVerified: true });
    await expectLockedOut(mallory, victim);
  });

  it("the owner's first magic-link sign-in does the same", async () => {
    const victim = address("vera");
    const mallory = await claimAs(victim);
    const owner = new Session(stack.url);
    const link = new URL(await requestLink(victim, { callbackURL: "/home" }));
    expect((await owner.get(link.pathname + link.search)).status).toBe(302);
    expect((await sessionOf(owner))?.user).toMatchObject({ id: mallory.id, emailVerified: true });
    await expectLockedOut(mallory, victim);
  });

  it("an owner's passkey and keys made after the proof are kept by later sign-ins", async () => {
    const owner = await codeUser("keeper");
    const { authenticator } = await registerPasskey(owner.browser);
    const key = await createApiKey(owner.browser);
    const again = await new Session(stack.url).post("/auth/v1/sign-in/email-otp", {
      email: owner.email,
      otp: await sendCode(owner.email),
    });
    expect(again.status).toBe(200);
    expect((await passkeySignIn(authenticator)).res.status).toBe(200);
    expect((await meWithKey(key)).status).toBe(200);
  });
});

describe("email verification required", () => {
  it("an upgraded guest gets no session, token or key for an address it has not proved; the emailed link gives the account", async () => {
    const { browser, id } = await guest();
    const email = address("unverified");
    const after = await lastEmailSeq(stage);
    const upgrade = await browser.post("/auth/v1/upgrade-anonymous", { email, password: PASSWORD });
    expect(upgrade.status, await upgrade.clone().text()).toBe(200);
    expect(await upgrade.json()).toMatchObject({ token: null, user: { id, email, emailVerified: false } });
    expect(sessionCookie(upgrade)).toBeUndefined();
    expect(await sessionOf(browser)).toBeNull();
    expect((await browser.post("/api/v1/token", {})).status).toBe(401);
    expect((await browser.post("/auth/v1/api-key/create", {})).status).toBe(401);
    const password = await new Session(stack.url).post("/auth/v1/sign-in/email", {
      email,
      password: PASSWORD,
    });
    expect(password.status).toBe(403);

    const message = await waitForEmail(stage, email, { after });
    expect(message.kind).toBe("verification");
    const verified = await fetch(linkIn(message, "/auth/v1/verify-email"), { redirect: "manual" });
    expect(verified.status).toBe(302);
    const signIn = await new Session(stack.url).post("/auth/v1/sign-in/email", { email, password: PASSWORD });
    expect(signIn.status).toBe(200);
    expect(((await signIn.json()) as { user: { id: string } }).user.id).toBe(id);
  });

  it("a passkey a guest registered does not sign in to its upgraded, unverified account", async () => {
    const { browser, id } = await guest();
    const { authenticator } = await registerPasskey(browser);
    const email = address("pk-unverified");
    const upgrade = await browser.post("/auth/v1/upgrade-anonymous", { email, password: PASSWORD });
    expect(upgrade.status, await upgrade.clone().text()).toBe(200);
    const { browser: later, res } = await passkeySignIn(authenticator);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe("EMAIL_NOT_VERIFIED");
    expect(sessionCookie(res)).toBeUndefined();
    expect(await sessionOf(later)).toBeNull();
    expect(await rows(`SELECT id FROM session WHERE userId = '${id}'`)).toEqual([]);
  });
});
