/**
 * Two-factor on the stack of test/fixtures/two-factor-every-sign-in.config.ts (one stack for both):
 *
 * An account with two-factor on asks for the second factor after every sign-in that proves one
 * factor: an email code and a magic link too, not only a password (Better Auth asks only after the
 * password). Otherwise whoever reads the inbox is past the authenticator. Accounts without
 * two-factor sign in by code as before.
 *
 * An emailed code as the second factor (`/two-factor/send-otp`, `/two-factor/verify-otp`): after a
 * password it signs in once; a used code is refused; a burst of wrong codes at once gets no session
 * and at most the code's 5 attempts judged; it is refused after an emailed first factor (the inbox
 * would be both) and to a signed-in session (which Better Auth would let turn two-factor on); a burst
 * of sends for one account from many addresses mails it only the per-account budget's worth.
 */
import { describe, expect, it } from "vitest";
import { readOutbox } from "../../src/cli/outbox.ts";
import { Session } from "../support/http.ts";
import { codeIn, lastEmailSeq, linkIn, waitForEmail } from "../support/outbox.ts";
import { ROOT } from "../support/stack.ts";
import { stackPerFile } from "../support/stack-per-file.ts";
import { Authenticator } from "../support/totp.ts";

const file = stackPerFile("2fa", "test/fixtures/two-factor-every-sign-in.config.ts");
const PASSWORD = "correct horse battery";

interface Person {
  email: string;
  app?: Authenticator;
}

let people = 0;
async function person(label: string, { twoFactor }: { twoFactor: boolean }): Promise<Person> {
  const browser = new Session(file.stack.url);
  const email = `${label}-${++people}-${file.stage}@example.com`;
  const up = await browser.post("/auth/v1/sign-up/email", { name: label, email, password: PASSWORD });
  expect(up.status).toBe(200);
  if (!twoFactor) return { email };
  const enable = await browser.post("/auth/v1/two-factor/enable", { password: PASSWORD });
  expect(enable.status).toBe(200);
  const { totpURI } = (await enable.json()) as { totpURI: string };
  const app = Authenticator.fromBase32(new URL(totpURI).searchParams.get("secret") ?? "");
  const confirm = await browser.post("/auth/v1/two-factor/verify-totp", { code: await app.nextCode() });
  expect(confirm.status).toBe(200);
  return { email, app };
}

async function signedInAs(browser: Session): Promise<string | null> {
  const res = await browser.get("/auth/v1/get-session");
  const body = (await res.json()) as { user: { email: string } } | null;
  return body?.user.email ?? null;
}

async function emailedCode(email: string): Promise<string> {
  const after = await lastEmailSeq(file.stage);
  const sent = await new Session(file.stack.url).post("/auth/v1/email-otp/send-verification-otp", {
    email,
    type: "sign-in",
  });
  expect(sent.status).toBe(200);
  return codeIn(await waitForEmail(file.stage, email, { after }));
}

/** The second step: the pending sign-in's cookie plus a code from the app makes the session. */
async function finishWithApp(browser: Session, who: Person): Promise<void> {
  const res = await browser.post("/auth/v1/two-factor/verify-totp", {
    code: await (who.app as Authenticator).nextCode(),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(await signedInAs(browser)).toBe(who.email);
}

describe("two-factor after an email code", () => {
  it("holds the sign-in at the second factor: no session until the app's code", async () => {
    const ada = await person("otp", { twoFactor: true });
    const browser = new Session(file.stack.url);
    const res = await browser.post("/auth/v1/sign-in/email-otp", {
      email: ada.email,
      otp: await emailedCode(ada.email),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ twoFactorRedirect: true });
    expect(await signedInAs(browser)).toBeNull();
    await finishWithApp(browser, ada);
  });

  it("holds it on the seed's /email-otp/verify-otp alias too", async () => {
    const grace = await person("alias", { twoFactor: true });
    const browser = new Session(file.stack.url);
    const res = await browser.post("/auth/v1/email-otp/verify-otp", {
      email: grace.email,
      otp: await emailedCode(grace.email),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ twoFactorRedirect: true });
    expect(await signedInAs(browser)).toBeNull();
    await finishWithApp(browser, grace);
  });

  it("signs an account without two-factor straight in, as before", async () => {
    const plain = await person("plain", { twoFactor: false });
    const browser = new Session(file.stack.url);
    const res = await browser.post("/auth/v1/sign-in/email-otp", {
      email: plain.email,
      otp: await emailedCode(plain.email),
    });
    expect(res.status).toBe(200);
    expect(await signedInAs(browser)).toBe(plain.email);
  });
});

describe("two-factor after a magic link", () => {
  it("lands on the Account SPA's code step, headed where the link was going, with no session yet", async () => {
    const linus = await person("link", { twoFactor: true });
    const after = await lastEmailSeq(file.stage);
    const asked = await new Session(file.stack.url).post("/auth/v1/sign-in/magic-link", {
      email: linus.email,
      callbackURL: `${file.stack.url}/after-link`,
    });
    expect(asked.status).toBe(200);
    const link = linkIn(await waitForEmail(file.stage, linus.email, { after }), "/auth/v1/magic-link/verify");

    const browser = new Session(file.stack.url);
    const landed = await browser.request(link);
    expect(landed.status).toBe(302);
    const location = new URL(landed.headers.get("location") ?? "");
    expect(location.pathname).toBe("/login");
    expect(location.searchParams.get("second-factor")).toBe("1");
    expect(location.searchParams.get("redirect")).toBe(`${file.stack.url}/after-link`);
    expect(await signedInAs(browser)).toBeNull();
    await finishWithApp(browser, linus);
  });
});

/** An account with TOTP on; its signed-in session is dropped. */
async function enrolled(label: string): Promise<string> {
  const session = new Session(file.stack.url);
  const email = `${label}-${++people}-${file.stage}@example.com`;
  expect(
    (await session.post("/auth/v1/sign-up/email", { name: label, email, password: PASSWORD })).status,
  ).toBe(200);
  const enable = await session.post("/auth/v1/two-factor/enable", { password: PASSWORD });
  const { totpURI } = (await enable.json()) as { totpURI: string };
  const app = Authenticator.fromBase32(new URL(totpURI).searchParams.get("secret") ?? "");
  expect((await session.post("/auth/v1/two-factor/verify-totp", { code: await app.nextCode() })).status).toBe(
    200,
  );
  return email;
}

/** A password sign-in held at the second factor. */
async function pendingAfterPassword(email: string): Promise<Session> {
  const browser = new Session(file.stack.url);
  const res = await browser.post("/auth/v1/sign-in/email", { email, password: PASSWORD });
  expect(await res.json()).toMatchObject({ twoFactorRedirect: true, twoFactorMethods: ["totp", "otp"] });
  return browser;
}

/** Asks for the emailed code and reads it from the outbox. */
async function emailMeACode(browser: Session, email: string): Promise<string> {
  const after = await lastEmailSeq(file.stage);
  const sent = await browser.post("/auth/v1/two-factor/send-otp", {});
  expect(sent.status, await sent.clone().text()).toBe(200);
  return codeIn(await waitForEmail(file.stage, email, { after }));
}

const codeOf = async (res: Response) =>
  ((await res.json().catch(() => null)) as { code?: string } | null)?.code;

describe("an emailed code as the second factor", () => {
  it("finishes a password sign-in, once: the same code is refused after", async () => {
    const email = await enrolled("mail");
    const browser = await pendingAfterPassword(email);
    const code = await emailMeACode(browser, email);
    const ok = await browser.post("/auth/v1/two-factor/verify-otp", { code });
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(await signedInAs(browser)).toBe(email);

    // Replayed: from a new pending sign-in, and from a second client holding the first one's cookie.
    const again = await pendingAfterPassword(email);
    const replay = await again.post("/auth/v1/two-factor/verify-otp", { code });
    expect(replay.status).not.toBe(200);
    expect(await signedInAs(again)).toBeNull();
  });

  it("judges at most 5 of 20 wrong codes sent at once, and makes no session", async () => {
    const email = await enrolled("burst");
    const browser = await pendingAfterPassword(email);
    const code = await emailMeACode(browser, email);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => browser.post("/auth/v1/two-factor/verify-otp", { code: wrong })),
    );
    expect(answers.map((r) => r.status)).not.toContain(200);
    const codes = await Promise.all(answers.map(codeOf));
    expect(codes.filter((c) => c === "INVALID_CODE").length).toBeLessThanOrEqual(5);
    expect(await signedInAs(browser)).toBeNull();
  });

  it("is refused after an emailed first factor: the inbox would be both", async () => {
    const email = await enrolled("inbox");
    const after = await lastEmailSeq(file.stage);
    await new Session(file.stack.url).post("/auth/v1/email-otp/send-verification-otp", {
      email,
      type: "sign-in",
    });
    const otp = codeIn(await waitForEmail(file.stage, email, { after }));
    const browser = new Session(file.stack.url);
    const held = await browser.post("/auth/v1/sign-in/email-otp", { email, otp });
    expect(await held.json()).toMatchObject({ twoFactorRedirect: true });
    const sent = await browser.post("/auth/v1/two-factor/send-otp", {});
    expect(sent.status).toBe(403);
    expect(await codeOf(sent)).toBe("EMAILED_CODE_NEEDS_ANOTHER_FACTOR");
  });

  it("is refused to a signed-in session, which Better Auth would let turn two-factor on by email", async () => {
    const session = new Session(file.stack.url);
    const email = `plain-${++people}-${file.stage}@example.com`;
    expect(
      (await session.post("/auth/v1/sign-up/email", { name: "p", email, password: PASSWORD })).status,
    ).toBe(200);
    const sent = await session.post("/auth/v1/two-factor/send-otp", {});
    expect(sent.status).toBe(403);
    expect(await codeOf(sent)).toBe("EMAILED_CODE_ONLY_AT_SIGN_IN");
    const me = (await (await session.get("/auth/v1/get-session")).json()) as {
      user: { twoFactorEnabled: boolean };
    };
    expect(me.user.twoFactorEnabled).toBe(false);
  });

  it("mails one account at most 5 codes however many sends arrive at once, from however many addresses", async () => {
    const email = await enrolled("flood");
    // Several pending sign-ins (a password is all each takes), so no one challenge is what holds.
    const pending: Session[] = [];
    for (let i = 0; i < 4; i++) pending.push(await pendingAfterPassword(email));
    const after = await lastEmailSeq(file.stage);
    const net = Math.floor(Math.random() * 200) + 1;
    // 20 at once, each from an address of its own: Better Auth's per-IP limit never applies.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (pending[i % pending.length] as Session).request("/auth/v1/two-factor/send-otp", {
          method: "POST",
          json: {},
          headers: { "cf-connecting-ip": `198.19.${net}.${i + 1}` },
        }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    const refused = answers.filter((r) => r.status !== 200);
    expect(refused.map((r) => r.status)).toEqual(Array(15).fill(429));
    for (const res of refused) {
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await res.json()).toMatchObject({ error: "too_many_attempts_for_account" });
    }
    const mailed = async () =>
      (await readOutbox(ROOT, file.stage)).filter((m) => m.to === email && m.seq > after);
    await expect.poll(async () => (await mailed()).length).toBe(5);
    // Settled: nothing more arrives late.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await mailed()).toHaveLength(5);
    // Another account is not slowed by this one's flood.
    const other = await enrolled("bystander");
    await emailMeACode(await pendingAfterPassword(other), other);
  });
});
