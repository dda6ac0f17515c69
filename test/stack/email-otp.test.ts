/**
 * Email codes and account emails on a local stack: sign in with a code read from the outbox, wrong
 * and exhausted codes, the seed's verify-otp, the verification and reset links, and failed delivery.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { codeIn, lastEmailSeq, linkIn, waitForEmail } from "../support/outbox.ts";
import { querySqlite, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const APP = "email-otp-test";
const stage = uniqueStage("eotp");
const CONFIG = ["--config", "test/fixtures/email-otp.config.ts"];
let stack: RunningStack;
let db: string;

interface SessionBody {
  user: { id: string; email: string; emailVerified: boolean; name: string };
}

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  db = await localD1File(APP, stage);
});

afterAll(async () => {
  await stack?.stop();
});

const address = (label: string) => `${label}-${stage}@example.com`;

async function sessionOf(browser: Session): Promise<SessionBody | null> {
  return (await (await browser.get("/auth/v1/get-session")).json()) as SessionBody | null;
}

async function usersWith(email: string) {
  return querySqlite<{ id: string; emailVerified: number }>(
    db,
    `SELECT id, emailVerified FROM user WHERE email = '${email}'`,
  );
}

/** Asks for a code and returns it from the outbox, as a developer reads it. */
async function sendCode(browser: Session, email: string, type = "sign-in"): Promise<string> {
  const after = await lastEmailSeq(stage);
  const res = await browser.post("/auth/v1/email-otp/send-verification-otp", { email, type });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(await res.json()).toEqual({ success: true });
  const message = await waitForEmail(stage, email, { after });
  expect(message.kind).toBe("otp");
  return codeIn(message);
}

describe("a local stack with emailOtp", () => {
  it("reports email as configured, through the local outbox", async () => {
    expect(stack.outputs.emailTransport).toBe("local-outbox");
    const res = await fetch(`${stack.url}/api/v1/system/email-status`);
    expect(await res.json()).toEqual({ emailConfigured: true });
  });

  it("signs in with a code read from the outbox file, and get-session shows the user", async () => {
    const email = address("ada");
    const browser = new Session(stack.url);
    const after = await lastEmailSeq(stage);
    const sent = await browser.post("/auth/v1/email-otp/send-verification-otp", { email, type: "sign-in" });
    expect(sent.status).toBe(200);

    const message = await waitForEmail(stage, email, { after });
    expect(message).toMatchObject({ kind: "otp", subject: "Your Ada's <Lab> & Co sign-in code" });
    const code = codeIn(message);
    expect(message.secretPreview).toBe(code);
    expect(message.html).toContain(code);
    // APP_NAME is escaped in the HTML; EMAIL_FROM_NAME signs it.
    expect(message.html).toContain("Ada&#39;s &lt;Lab&gt; &amp; Co");
    expect(message.text).toContain("— Ada Lab | Accounts");
    expect(stack.logs()).toContain(`✉  otp for ${email}: ${code}`);

    // The code is stored hashed: the database never holds it.
    const rows = await querySqlite<{ value: string }>(
      db,
      `SELECT value FROM verification WHERE identifier = 'sign-in-otp-${email}'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.value).not.toContain(code);

    const signIn = await browser.post("/auth/v1/sign-in/email-otp", { email, otp: code });
    expect(signIn.status, await signIn.clone().text()).toBe(200);
    const session = await sessionOf(browser);
    expect(session?.user).toMatchObject({ email, emailVerified: true });

    // A code works once.
    const again = await new Session(stack.url).post("/auth/v1/sign-in/email-otp", { email, otp: code });
    expect(again.status).toBe(400);
  });

  it("refuses a wrong code", async () => {
    const email = address("wrong");
    const browser = new Session(stack.url);
    const code = await sendCode(browser, email);
    const wrong = code === "000000" ? "111111" : "000000";
    const res = await browser.post("/auth/v1/sign-in/email-otp", { email, otp: wrong });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "INVALID_OTP" });
    expect(await sessionOf(browser)).toBeNull();
    expect(await usersWith(email)).toEqual([]);
  });

  it("burns a code after 3 wrong attempts: even the right code is then refused", async () => {
    const email = address("guess");
    const browser = new Session(stack.url);
    const code = await sendCode(browser, email);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 3; i++) {
      const res = await browser.post("/auth/v1/sign-in/email-otp", { email, otp: wrong });
      expect(res.status, `attempt ${i + 1}`).toBe(400);
    }
    const right = await browser.post("/auth/v1/sign-in/email-otp", { email, otp: code });
    expect(right.status).toBe(403);
    expect(await right.json()).toMatchObject({ code: "TOO_MANY_ATTEMPTS" });
    expect((await browser.post("/auth/v1/sign-in/email-otp", { email, otp: code })).status).toBe(400);
    expect(await sessionOf(browser)).toBeNull();

    // A new code starts over, once the account's wait after five failures in a row (1 s) has passed
    // (worker/auth/account-limits: test/hardening/account-limits.test.ts tests the wait itself).
    const fresh = await sendCode(browser, email);
    let res = await browser.post("/auth/v1/sign-in/email-otp", { email, otp: fresh });
    if (res.status === 429) {
      await new Promise((resolve) => setTimeout(resolve, Number(res.headers.get("retry-after")) * 1000));
      res = await browser.post("/auth/v1/sign-in/email-otp", { email, otp: fresh });
    }
    expect(res.status).toBe(200);
  });

  it("expires a code 300 s after it is sent: once past, the right code is refused", async () => {
    const email = address("late");
    const browser = new Session(stack.url);
    const sentAt = Date.now();
    const code = await sendCode(browser, email);
    const where = `identifier = 'sign-in-otp-${email}'`;
    const [row] = await querySqlite<{ expiresAt: number | string }>(
      db,
      `SELECT expiresAt FROM verification WHERE ${where}`,
    );
    const expiresAt = new Date(row?.expiresAt as number | string).getTime();
    expect(expiresAt - sentAt).toBeGreaterThan(290_000);
    expect(expiresAt - sentAt).toBeLessThan(310_000);

    // Five minutes pass: move the stored deadline into the past, in the format it is stored in.
    const past = Date.now() - 1_000;
    const value = typeof row?.expiresAt === "number" ? String(past) : `'${new Date(past).toISOString()}'`;
    await querySqlite(db, `UPDATE verification SET expiresAt = ${value} WHERE ${where}`);
    const res = await browser.post("/auth/v1/sign-in/email-otp", { email, otp: code });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "OTP_EXPIRED" });
    expect(await sessionOf(browser)).toBeNull();
  });

  it("serves the seed's POST /email-otp/verify-otp: a sign-in code signs in", async () => {
    const email = address("seed");
    const browser = new Session(stack.url);
    const code = await sendCode(browser, email);
    const res = await browser.post("/auth/v1/email-otp/verify-otp", { email, otp: code });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await sessionOf(browser))?.user.email).toBe(email);

    const wrongType = await browser.post("/auth/v1/email-otp/verify-otp", { email, otp: code, type: "nope" });
    expect(wrongType.status).toBe(400);
    expect(await wrongType.json()).toMatchObject({ error: "bad_request", code: "INVALID_OTP_TYPE" });
  });
});

describe("account emails (requireEmailVerification)", () => {
  const user = {
    email: address("grace"),
    password: "correct horse battery",
    name: "<img src=x onerror=alert(1)>",
  };

  it("sends the verification link on sign-up, with the name escaped, and the link verifies the address", async () => {
    const browser = new Session(stack.url);
    const after = await lastEmailSeq(stage);
    const signUp = await browser.post("/auth/v1/sign-up/email", { ...user, callbackURL: "/welcome" });
    expect(signUp.status, await signUp.clone().text()).toBe(200);

    const message = await waitForEmail(stage, user.email, { after });
    expect(message.kind).toBe("verification");
    expect(message.html).not.toContain("<img");
    expect(message.html).toContain("Hi &lt;img src=x onerror=alert(1)&gt;,");
    const link = linkIn(message, "/auth/v1/verify-email");
    expect(message.html).toContain(link.replace(/&/g, "&amp;"));

    // Unverified: password sign-in is refused until the link is followed.
    const early = await browser.post("/auth/v1/sign-in/email", {
      email: user.email,
      password: user.password,
    });
    expect(early.status).toBe(403);

    const follow = await fetch(link, { redirect: "manual" });
    expect(follow.status).toBe(302);
    expect(new URL(follow.headers.get("location") as string, link).toString()).toBe(`${stack.url}/welcome`);
    expect(await usersWith(user.email)).toEqual([{ id: expect.any(String), emailVerified: 1 }]);
    const signIn = await browser.post("/auth/v1/sign-in/email", {
      email: user.email,
      password: user.password,
    });
    expect(signIn.status).toBe(200);
  });

  it("verifies an address with a code through verify-otp (type email-verification)", async () => {
    const email = address("linus");
    const browser = new Session(stack.url);
    const after = await lastEmailSeq(stage);
    await browser.post("/auth/v1/sign-up/email", { email, password: "correct horse battery", name: "Linus" });
    await waitForEmail(stage, email, { after });
    const code = await sendCode(browser, email, "email-verification");
    const res = await browser.post("/auth/v1/email-otp/verify-otp", {
      email,
      otp: code,
      type: "email-verification",
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await usersWith(email)).toEqual([{ id: expect.any(String), emailVerified: 1 }]);
  });

  it("sends the password reset link, and the new password works", async () => {
    const browser = new Session(stack.url);
    const after = await lastEmailSeq(stage);
    const asked = await browser.post("/auth/v1/request-password-reset", {
      email: user.email,
      redirectTo: "/reset",
    });
    expect(asked.status, await asked.clone().text()).toBe(200);
    const message = await waitForEmail(stage, user.email, { after });
    expect(message).toMatchObject({
      kind: "password-reset",
      subject: "Reset your Ada's <Lab> & Co password",
    });

    const follow = await fetch(linkIn(message, "/auth/v1/reset-password/"), { redirect: "manual" });
    expect(follow.status).toBe(302);
    const landing = new URL(follow.headers.get("location") as string);
    expect(landing.pathname).toBe("/reset");
    const token = landing.searchParams.get("token") as string;

    const reset = await browser.post("/auth/v1/reset-password", {
      newPassword: "a brand new passphrase",
      token,
    });
    expect(reset.status, await reset.clone().text()).toBe(200);
    const old = await browser.post("/auth/v1/sign-in/email", { email: user.email, password: user.password });
    expect(old.status).toBe(401);
    const fresh = await browser.post("/auth/v1/sign-in/email", {
      email: user.email,
      password: "a brand new passphrase",
    });
    expect(fresh.status).toBe(200);
  });
});

describe("when the email cannot be delivered", () => {
  // The local outbox refuses the reserved .invalid domain (RFC 2606), as a mail server would.
  const undeliverable = (label: string) => `${label}-${stage}@example.invalid`;

  it("answers a code request with a clear 502 JSON error, not a 500, and logs it without the code", async () => {
    const email = undeliverable("otp");
    const res = await new Session(stack.url).post("/auth/v1/email-otp/send-verification-otp", {
      email,
      type: "sign-in",
    });
    const text = await res.text();
    expect(res.status, text).toBe(502);
    expect(JSON.parse(text)).toEqual({
      error: "email_delivery_failed",
      code: "EMAIL_DELIVERY_FAILED",
      message: expect.stringMatching(/^The email with your code could not be sent\. Try again in a moment\./),
    });
    expect(text).not.toMatch(/\n\s+at /);
    expect(await usersWith(email)).toEqual([]);
    expect(stack.logs()).toContain(`authform: otp email to o•••@example.invalid was not delivered`);
    expect(stack.logs()).not.toContain(`✉  otp for ${email}`);
  });

  it("does not create the account when the verification email of a sign-up fails", async () => {
    const email = undeliverable("signup");
    const res = await new Session(stack.url).post("/auth/v1/sign-up/email", {
      email,
      password: "correct horse battery",
      name: "Nobody",
    });
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: "email_delivery_failed" });
    expect(await usersWith(email)).toEqual([]);
    expect(
      await querySqlite(db, `SELECT id FROM account WHERE accountId NOT IN (SELECT id FROM user)`),
    ).toEqual([]);
  });
});
