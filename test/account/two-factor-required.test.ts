/**
 * `twoFactor: { required: true }`: a signed-in user without two-factor can only enroll. Over HTTP,
 * as an attacker holding such a session would try: /api/v1 (cookie, minted token, token on sign-in)
 * and Better Auth's other endpoints answer 403 until TOTP is on; a user without a password sets
 * one first. In Chromium: a new account lands on /account with the enrollment step alone, and the
 * whole page once two-factor is on; a held user's magic link to the app lands there too; axe-core
 * on the held page.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.ts";
import { freshPage, screenshot } from "../support/browser.ts";
import { Session } from "../support/http.ts";
import { codeIn, lastEmailSeq, linkIn, waitForEmail } from "../support/outbox.ts";
import { stackAndBrowserPerFile } from "../support/stack-and-browser-per-file.ts";
import { Authenticator } from "../support/totp.ts";

const file = stackAndBrowserPerFile("2fa-required", "test/fixtures/two-factor-required.config.ts");
const { stage } = file;
const PASSWORD = "correct horse battery";

let people = 0;
const newEmail = (label: string) => `${label}-${++people}-${stage}@example.com`;

/** What a not-yet-enrolled session can reach: each answer's status and error code. */
async function reach(session: Session): Promise<Record<string, string>> {
  const answers = {
    me: await session.get("/api/v1/me"),
    token: await session.post("/api/v1/token", {}),
    createKey: await session.post("/auth/v1/api-key/create", { name: "sneaky" }),
    listSessions: await session.get("/auth/v1/list-sessions"),
    getSession: await session.get("/auth/v1/get-session"),
  };
  const out: Record<string, string> = {};
  for (const [name, res] of Object.entries(answers)) {
    const body = (await res.json().catch(() => null)) as { error?: string; code?: string } | null;
    out[name] = `${res.status} ${body?.error ?? body?.code ?? ""}`.trim();
  }
  return out;
}

const HELD = {
  me: "403 two_factor_enrollment_required",
  token: "403 two_factor_enrollment_required",
  createKey: "403 TWO_FACTOR_ENROLLMENT_REQUIRED",
  listSessions: "403 TWO_FACTOR_ENROLLMENT_REQUIRED",
  getSession: "200",
};
const FREE = { me: "200", token: "200", createKey: "200", listSessions: "200", getSession: "200" };

async function enrollOverHttp(session: Session): Promise<void> {
  const enable = await session.post("/auth/v1/two-factor/enable", { password: PASSWORD });
  expect(enable.status, await enable.clone().text()).toBe(200);
  const { totpURI } = (await enable.json()) as { totpURI: string };
  const app = Authenticator.fromBase32(new URL(totpURI).searchParams.get("secret") ?? "");
  const confirm = await session.post("/auth/v1/two-factor/verify-totp", { code: await app.nextCode() });
  expect(confirm.status).toBe(200);
}

describe("required two-factor, server-side", () => {
  it("holds a new password account to enrollment: no /api/v1, no token, no other endpoint, until TOTP is on", async () => {
    const session = new Session(file.stack.url);
    const up = await session.post("/auth/v1/sign-up/email", {
      name: "Eve",
      email: newEmail("eve"),
      password: PASSWORD,
    });
    expect(up.status).toBe(200);
    // No fast-path token on sign-in either: it would reach /api/v1 without the session check.
    expect(up.headers.get("set-auth-token")).toBeNull();
    expect(await reach(session)).toEqual(HELD);

    await enrollOverHttp(session);
    expect(await reach(session)).toEqual(FREE);
  });

  it("lets a user without a password (email code sign-up) set one, then enroll", async () => {
    const email = newEmail("otp");
    const after = await lastEmailSeq(stage);
    const session = new Session(file.stack.url);
    expect(
      (await session.post("/auth/v1/email-otp/send-verification-otp", { email, type: "sign-in" })).status,
    ).toBe(200);
    const otp = codeIn(await waitForEmail(stage, email, { after }));
    const signIn = await session.post("/auth/v1/sign-in/email-otp", { email, otp });
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get("set-auth-token")).toBeNull();
    expect(await reach(session)).toEqual(HELD);

    // Turning TOTP on takes a password; this account has none, so it sets one (a fresh sign-in allows it).
    expect((await session.post("/auth/v1/two-factor/enable", { password: PASSWORD })).status).not.toBe(200);
    const set = await session.post("/auth/v1/set-password", { newPassword: PASSWORD });
    expect(set.status, await set.clone().text()).toBe(200);
    await enrollOverHttp(session);
    expect(await reach(session)).toEqual(FREE);
  });
});

describe("required two-factor in the Account SPA", () => {
  let page: Page;
  let context: BrowserContext;
  let errors: string[];

  afterAll(async () => {
    await context?.close();
  });

  it("shows a new account only the enrollment step, then the whole page once two-factor is on", async () => {
    ({ page, context, errors } = await freshPage(file.browser));
    await page.goto(`${file.stack.url}/login`);
    const signInForm = page.getByRole("form", { name: "Sign in with password" });
    await signInForm.getByRole("button", { name: "Create an account" }).click();
    const signUp = page.getByRole("form", { name: "Create an account" });
    await signUp.getByLabel("Name", { exact: true }).fill("Ada");
    await signUp.getByLabel("Email", { exact: true }).fill(newEmail("ada"));
    await signUp.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await signUp.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${file.stack.url}/account`);

    await page
      .getByText(
        "Required Two Factor Test requires two-factor authentication. Turn it on to use your account.",
      )
      .waitFor();
    const turnOn = page.getByRole("form", { name: "Turn on two-factor authentication" });
    await turnOn.waitFor();
    // Nothing else of the account: no profile, sessions, API keys or deletion.
    const headings = await page.getByRole("heading", { level: 2 }).allTextContents();
    expect(headings).toEqual(["Two-factor authentication"]);
    expect(await page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "account-two-factor-required");

    // Coming back from /login while still not enrolled lands on the same step, not on ?redirect=.
    await page.goto(`${file.stack.url}/login?redirect=${encodeURIComponent("/accept-invitation")}`);
    await page.waitForURL(`${file.stack.url}/account`);
    await turnOn.waitFor();

    await turnOn.getByLabel("Your password").fill(PASSWORD);
    await turnOn.getByRole("button", { name: "Turn on" }).click();
    await page.getByRole("heading", { name: "Set up your authenticator app" }).waitFor();
    const app = Authenticator.fromBase32((await page.getByTestId("totp-secret").textContent()) ?? "");
    const confirm = page.getByRole("form", { name: "Confirm two-factor authentication" });
    await confirm.getByLabel("Code from the app").fill(await app.nextCode());
    await confirm.getByRole("button", { name: "Verify and turn on" }).click();

    // The backup codes still show once, and the rest of the account is there now.
    await page.getByRole("heading", { name: "Two-factor authentication is on." }).waitFor();
    expect(await page.getByRole("list", { name: "Your backup codes" }).getByRole("listitem").count()).toBe(
      10,
    );
    await page.getByRole("heading", { name: "Where you are signed in" }).waitFor();
    expect(await page.getByText("requires two-factor authentication").count()).toBe(0);
    const me = await page.evaluate(
      async () => (await fetch("/api/v1/me", { credentials: "include" })).status,
    );
    expect(me).toBe(200);
    expect(errors).toEqual([]);
  });

  it("sends a held user's magic link to the enrollment step on /account, not to the app it was headed for", async () => {
    // A new user whose first sign-in is a link: no password, no two-factor.
    const email = newEmail("link");
    const held = await freshPage(file.browser);
    // Signing in for the app (the stack's root), as an app's "Sign in" button would send them.
    await held.page.goto(`${file.stack.url}/login?redirect=${encodeURIComponent(`${file.stack.url}/`)}`);
    const after = await lastEmailSeq(stage);
    const signIn = held.page.getByRole("form", { name: "Sign in with password" });
    await signIn.getByLabel("Email", { exact: true }).fill(email);
    await signIn.getByRole("button", { name: "Email me a sign-in link" }).click();
    const link = linkIn(await waitForEmail(stage, email, { after }), "/magic-link/verify");
    expect(new URL(link).searchParams.get("callbackURL")).toBe(`${file.stack.url}/`);

    await held.page.goto(link);
    await held.page.waitForURL(`${file.stack.url}/account`);
    await held.page.getByRole("form", { name: "Turn on two-factor authentication" }).waitFor();
    // The enrollment step alone: a first password (enrolling asks for it), then two-factor.
    await held.page.getByRole("heading", { name: "Password", level: 2 }).waitFor();
    expect(await held.page.getByRole("heading", { level: 2 }).allTextContents()).toEqual([
      "Password",
      "Two-factor authentication",
    ]);
    expect(held.errors).toEqual([]);
    await held.context.close();
  });
});
