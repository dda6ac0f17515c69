/**
 * An account with two-factor on asks for the second factor after every sign-in that proves one
 * factor: an email code and a magic link too, not only a password (Better Auth asks only after the
 * password). Otherwise whoever reads the inbox is past the authenticator. Accounts without
 * two-factor sign in by code as before.
 */
import { describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { codeIn, lastEmailSeq, linkIn, waitForEmail } from "../support/outbox.ts";
import { stackPerFile } from "../support/stack-per-file.ts";
import { Authenticator } from "../support/totp.ts";

const file = stackPerFile("2fa-every", "test/fixtures/two-factor-every-sign-in.config.ts");
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
