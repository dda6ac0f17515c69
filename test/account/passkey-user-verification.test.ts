/**
 * passkey `userVerification: "required"` on a local stack: the options ask for it, and a registration
 * or sign-in whose authenticator did not verify the user is refused by the Worker itself — over HTTP
 * with a software authenticator at both the seed's and Better Auth's paths, and in Chromium with a
 * CDP virtual authenticator that has no user verification, driven through the Account SPA.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { addVirtualAuthenticator, freshPage, screenshot } from "../support/browser.ts";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { querySqlite } from "../support/stack.ts";
import { stackAndBrowserPerFile } from "../support/stack-and-browser-per-file.ts";
import { signUpUser, type TestUser } from "../support/users.ts";
import {
  type CreationOptionsJSON,
  type RequestOptionsJSON,
  SoftAuthenticator,
} from "../support/webauthn-authenticator.ts";

const APP = "passkey-uv-test";
const file = stackAndBrowserPerFile("uv", "test/fixtures/passkey-uv-required.config.ts");
const { stage } = file;
const REFUSED = "USER_VERIFICATION_REQUIRED";
const REFUSED_TEXT = "did not verify you";

let db: string;

beforeAll(async () => {
  db = await localD1File(APP, stage);
});

const passkeysOf = (userId: string) =>
  querySqlite<{ id: string }>(db, `SELECT id FROM passkey WHERE userId = '${userId}'`);

async function registrationOptions(user: TestUser) {
  const res = await user.browser.request("/auth/v1/passkey/register/options", { method: "POST" });
  expect(res.status).toBe(200);
  return (await res.json()) as CreationOptionsJSON & { authenticatorSelection: { userVerification: string } };
}

async function signInOptions(browser: Session) {
  const res = await browser.request("/auth/v1/passkey/authenticate/options", { method: "POST" });
  expect(res.status).toBe(200);
  return (await res.json()) as RequestOptionsJSON & { userVerification: string };
}

async function expectRefused(res: Response) {
  expect(res.status).toBe(400);
  const body = (await res.json()) as { code: string; message: string };
  expect(body.code).toBe(REFUSED);
  expect(body.message).toContain(REFUSED_TEXT);
  // No session comes with a refusal.
  expect(res.headers.getSetCookie().some((c) => c.startsWith("better-auth.session_token="))).toBe(false);
}

describe("over HTTP, with a software authenticator", () => {
  it("the registration and sign-in options ask the browser to verify the user", async () => {
    const user = await signUpUser(file.stack.url, "Opts", `opts-${stage}@example.com`);
    expect((await registrationOptions(user)).authenticatorSelection.userVerification).toBe("required");
    expect((await signInOptions(new Session(file.stack.url))).userVerification).toBe("required");
  });

  it("refuses a registration without UV at the seed's path and Better Auth's, and takes one with UV", async () => {
    const user = await signUpUser(file.stack.url, "Reg", `reg-${stage}@example.com`);
    const authenticator = await SoftAuthenticator.create();
    const noUv = { userVerified: false };
    await expectRefused(
      await user.browser.post(
        "/auth/v1/passkey/register/verify",
        await authenticator.register(await registrationOptions(user), file.stack.url, noUv),
      ),
    );
    await expectRefused(
      await user.browser.post("/auth/v1/passkey/verify-registration", {
        response: await authenticator.register(await registrationOptions(user), file.stack.url, {
          ...noUv,
          fmt: "packed",
        }),
      }),
    );
    expect(await passkeysOf(user.id)).toHaveLength(0);

    const ok = await user.browser.post(
      "/auth/v1/passkey/register/verify",
      await authenticator.register(await registrationOptions(user), file.stack.url),
    );
    expect(ok.status).toBe(200);
    expect(await passkeysOf(user.id)).toHaveLength(1);
  });

  it("refuses a sign-in without UV at the seed's path and Better Auth's, and signs in with UV", async () => {
    const user = await signUpUser(file.stack.url, "Sign", `sign-${stage}@example.com`);
    const authenticator = await SoftAuthenticator.create();
    const reg = await user.browser.post(
      "/auth/v1/passkey/register/verify",
      await authenticator.register(await registrationOptions(user), file.stack.url),
    );
    expect(reg.status).toBe(200);

    const visitor = new Session(file.stack.url);
    const noUv = { userVerified: false };
    await expectRefused(
      await visitor.post(
        "/auth/v1/passkey/authenticate/verify",
        await authenticator.authenticate(await signInOptions(visitor), file.stack.url, noUv),
      ),
    );
    await expectRefused(
      await visitor.post("/auth/v1/passkey/verify-authentication", {
        response: await authenticator.authenticate(await signInOptions(visitor), file.stack.url, noUv),
      }),
    );
    expect((await (await visitor.get("/auth/v1/get-session")).json()) as unknown).toBeNull();

    const ok = await visitor.post(
      "/auth/v1/passkey/authenticate/verify",
      await authenticator.authenticate(await signInOptions(visitor), file.stack.url),
    );
    expect(ok.status).toBe(200);
    const session = (await (await visitor.get("/auth/v1/get-session")).json()) as { user: { id: string } };
    expect(session.user.id).toBe(user.id);
  });
});

/** Signs up in the page's profile (the API call the SPA makes) and opens /account. */
async function signUpIn(page: Page, email: string) {
  const status = await page.evaluate(
    async ([email, password]) =>
      (
        await fetch("/auth/v1/sign-up/email", {
          method: "POST",
          credentials: "include",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "UV", email, password }),
        })
      ).status,
    [email, "correct horse battery"],
  );
  expect(status).toBe(200);
  await page.goto(`${file.stack.url}/account`);
  await expect.poll(() => page.getByTestId("profile-email").textContent()).toContain(email);
}

async function sessionEmail(page: Page): Promise<string | undefined> {
  return page.evaluate(async () => {
    const res = await fetch("/auth/v1/get-session", { credentials: "include" });
    return ((await res.json()) as { user: { email: string } } | null)?.user.email;
  });
}

/**
 * A client that does not ask for user verification, whatever the options say (an old or tampered
 * one): Chromium itself would refuse "required" on an authenticator without UV, so only the
 * Worker's own check stands between such a client and a passkey without UV.
 */
async function ignoreUserVerificationRequest(page: Page) {
  await page.addInitScript(() => {
    const creation = PublicKeyCredential.parseCreationOptionsFromJSON;
    PublicKeyCredential.parseCreationOptionsFromJSON = (o) =>
      creation({
        ...o,
        authenticatorSelection: { ...o.authenticatorSelection, userVerification: "discouraged" },
      });
    const request = PublicKeyCredential.parseRequestOptionsFromJSON;
    PublicKeyCredential.parseRequestOptionsFromJSON = (o) =>
      request({ ...o, userVerification: "discouraged" });
  });
}

const addPasskey = async (page: Page) => {
  const add = page.getByRole("form", { name: "Add a passkey" });
  await add.getByRole("button", { name: "Add a passkey" }).click();
  return add;
};

async function signOutAndUsePasskey(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(`${file.stack.url}/login`);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
}

describe("in Chromium (CDP virtual authenticator)", () => {
  it("with user verification, registers on /account and signs in on /login", async () => {
    const email = `uv-on-${stage}@example.com`;
    const { page, errors, context } = await freshPage(file.browser);
    await page.goto(`${file.stack.url}/login`);
    await addVirtualAuthenticator(page);
    await signUpIn(page, email);
    const add = await addPasskey(page);
    await expect.poll(() => add.getByRole("status").textContent()).toBe("Passkey added.");
    await signOutAndUsePasskey(page);
    await page.waitForURL(`${file.stack.url}/account`);
    expect(await sessionEmail(page)).toBe(email);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("without user verification, a registration is refused with the Worker's message", async () => {
    const email = `uv-off-reg-${stage}@example.com`;
    const { page, errors, context } = await freshPage(file.browser);
    await ignoreUserVerificationRequest(page);
    await page.goto(`${file.stack.url}/login`);
    await addVirtualAuthenticator(page, { userVerification: false });
    await signUpIn(page, email);
    const add = await addPasskey(page);
    await expect.poll(() => add.getByRole("alert").textContent()).toContain(REFUSED_TEXT);
    await screenshot(page, "account-passkey-uv-required");
    const [user] = await querySqlite<{ id: string }>(db, `SELECT id FROM user WHERE email = '${email}'`);
    expect(await passkeysOf(user?.id as string)).toHaveLength(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("without user verification, a sign-in with a registered passkey is refused with the Worker's message", async () => {
    const email = `uv-off-sign-${stage}@example.com`;
    const { page, errors, context } = await freshPage(file.browser);
    await ignoreUserVerificationRequest(page);
    await page.goto(`${file.stack.url}/login`);
    // Registered with user verification...
    const withUv = await addVirtualAuthenticator(page);
    await signUpIn(page, email);
    const add = await addPasskey(page);
    await expect.poll(() => add.getByRole("status").textContent()).toBe("Passkey added.");
    // ...then the fingerprint or PIN check is off: the client does not ask for it, so the
    // authenticator signs without it.
    await withUv.setUserVerified(false);

    await signOutAndUsePasskey(page);
    await expect.poll(() => page.getByRole("alert").textContent()).toContain(REFUSED_TEXT);
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(await sessionEmail(page)).toBeUndefined();
    await screenshot(page, "login-passkey-uv-required");
    expect(errors).toEqual([]);
    await context.close();
  });
});
