/**
 * POST /auth/v1/upgrade-anonymous with `{}` on workerd, sessions in Workers KV: a guest that proved
 * an email by code, or added a passkey, becomes a full user as it is, and every read after the call
 * (get-session from KV, /api/v1/me) shows isAnonymous false at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { codeIn, lastEmailSeq, waitForEmail } from "../support/outbox.ts";
import { querySqlite, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";
import {
  type CreationOptionsJSON,
  type RequestOptionsJSON,
  SoftAuthenticator,
} from "../support/webauthn-authenticator.ts";

const APP = "anonymous-kv-test";
const stage = uniqueStage("anonkv");
const CONFIG = ["--config", "test/fixtures/anonymous-kv.config.ts"];
let stack: RunningStack;
let db: string;

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  db = await localD1File(APP, stage);
});

afterAll(async () => {
  await stack?.stop();
});

interface SessionBody {
  user: { id: string; email: string; emailVerified: boolean; isAnonymous: boolean };
}

let counter = 0;
const address = (label: string) => `${label}-${++counter}-${stage}@example.com`;

async function guest() {
  const browser = new Session(stack.url);
  const res = await browser.post("/auth/v1/sign-in/anonymous", {});
  expect(res.status, await res.clone().text()).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  return { browser, cookie, id: ((await res.json()) as { user: { id: string } }).user.id };
}

/** The guest proves `email` with the code sent to it (email-otp change-email): same id, email verified. */
async function proveEmail(browser: Session, email: string) {
  const after = await lastEmailSeq(stage);
  const request = await browser.post("/auth/v1/email-otp/request-email-change", { newEmail: email });
  expect(request.status, await request.clone().text()).toBe(200);
  const otp = codeIn(await waitForEmail(stage, email, { after }));
  const change = await browser.post("/auth/v1/email-otp/change-email", { newEmail: email, otp });
  expect(change.status, await change.clone().text()).toBe(200);
}

async function registerPasskey(browser: Session) {
  const authenticator = await SoftAuthenticator.create();
  const options = await browser.request("/auth/v1/passkey/register/options", { method: "POST" });
  expect(options.status, await options.clone().text()).toBe(200);
  const credential = await authenticator.register((await options.json()) as CreationOptionsJSON, stack.url);
  const res = await browser.post("/auth/v1/passkey/register/verify", credential);
  expect(res.status, await res.clone().text()).toBe(200);
  return authenticator;
}

/** get-session for a browser, with how many D1 queries the Worker ran for it. */
async function sessionRead(browser: Session) {
  const res = await browser.get("/auth/v1/get-session");
  const count = res.headers.get("x-authform-d1-queries");
  if (count === null) throw new Error("the response carries no D1 query count");
  return { body: (await res.json()) as SessionBody | null, d1Queries: Number(count) };
}

/** After `{}`: get-session answered from KV and /api/v1/me both say full user, and the guest cookie is dead. */
async function expectFullUserAtOnce(browser: Session, id: string, guestCookie: string) {
  const read = await sessionRead(browser);
  expect(read.body?.user).toMatchObject({ id, isAnonymous: false });
  // From Workers KV, not D1: the cached copy itself is the refreshed one.
  expect(read.d1Queries).toBe(0);
  const me = await browser.get("/api/v1/me");
  expect(me.status).toBe(200);
  expect(await me.json()).toMatchObject({ userId: id, isAnonymous: false });
  const old = await fetch(`${stack.url}/auth/v1/get-session`, { headers: { cookie: guestCookie } });
  expect(await old.json()).toBeNull();
  const [row] = await querySqlite<{ isAnonymous: number }>(
    db,
    `SELECT isAnonymous FROM user WHERE id = '${id}'`,
  );
  expect(row?.isAnonymous).toBe(0);
}

describe("POST /auth/v1/upgrade-anonymous with {} (sessions in Workers KV)", () => {
  it("keeps the email a guest proved by code, and get-session and /api/v1/me show isAnonymous false at once", async () => {
    const { browser, cookie, id } = await guest();
    const email = address("coded");
    await proveEmail(browser, email);
    const before = await sessionRead(browser);
    expect(before.body?.user).toMatchObject({ id, email, emailVerified: true, isAnonymous: true });

    const res = await browser.post("/auth/v1/upgrade-anonymous", {});
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as SessionBody).user).toMatchObject({ id, email, isAnonymous: false });
    await expectFullUserAtOnce(browser, id, cookie);
    expect((await sessionRead(browser)).body?.user).toMatchObject({ email, emailVerified: true });

    // Later, elsewhere: a code to that address signs in to the same, now full, user.
    const later = new Session(stack.url);
    const after = await lastEmailSeq(stage);
    await later.post("/auth/v1/email-otp/send-verification-otp", { email, type: "sign-in" });
    const otp = codeIn(await waitForEmail(stage, email, { after }));
    const signIn = await later.post("/auth/v1/sign-in/email-otp", { email, otp });
    expect(signIn.status).toBe(200);
    expect((await sessionRead(later)).body?.user).toMatchObject({ id, isAnonymous: false });
  });

  it("keeps a guest's passkey as its sign-in, and the change shows at once", async () => {
    const { browser, cookie, id } = await guest();
    const authenticator = await registerPasskey(browser);
    const res = await browser.request("/auth/v1/upgrade-anonymous", { method: "POST" });
    expect(res.status, await res.clone().text()).toBe(200);
    await expectFullUserAtOnce(browser, id, cookie);

    const later = new Session(stack.url);
    const options = await later.request("/auth/v1/passkey/authenticate/options", { method: "POST" });
    const assertion = await authenticator.authenticate(
      (await options.json()) as RequestOptionsJSON,
      stack.url,
    );
    expect((await later.post("/auth/v1/passkey/authenticate/verify", assertion)).status).toBe(200);
    expect((await sessionRead(later)).body?.user).toMatchObject({ id, isAnonymous: false });
  });

  it("with credentials after a code-proven email, the proven address stays verified and a password is added", async () => {
    const { browser, id } = await guest();
    const email = address("both");
    await proveEmail(browser, email);
    const res = await browser.post("/auth/v1/upgrade-anonymous", {
      email,
      password: "correct horse battery",
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await sessionRead(browser)).body?.user).toMatchObject({
      id,
      email,
      emailVerified: true,
      isAnonymous: false,
    });
    const signIn = await new Session(stack.url).post("/auth/v1/sign-in/email", {
      email,
      password: "correct horse battery",
    });
    expect(signIn.status).toBe(200);
  });

  it("refuses {} from a guest with nothing of its own to sign in with: 400, still a guest", async () => {
    const { browser, id } = await guest();
    // Asking for a code proves nothing: the address is not the guest's until the code comes back.
    const request = await browser.post("/auth/v1/email-otp/request-email-change", {
      newEmail: address("asked"),
    });
    expect(request.status).toBe(200);
    const res = await browser.post("/auth/v1/upgrade-anonymous", {});
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "NOTHING_TO_SIGN_IN_WITH" });
    expect((await sessionRead(browser)).body?.user).toMatchObject({ id, isAnonymous: true });
  });

  it("lets only guests change their email by code", async () => {
    const browser = new Session(stack.url);
    const email = address("full");
    await browser.post("/auth/v1/sign-up/email", { email, password: "correct horse battery", name: "Full" });
    const res = await browser.post("/auth/v1/email-otp/request-email-change", {
      newEmail: address("elsewhere"),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: "EMAIL_CHANGE_IS_FOR_GUESTS" });
    expect((await sessionRead(browser)).body?.user.email).toBe(email);
  });
});
