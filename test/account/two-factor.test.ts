/**
 * Two-factor in the Account SPA, in Chromium, as a person uses it: turning it on at /account (a QR
 * code read back as a phone would, a first code, backup codes once with copy and download), new
 * backup codes and turning it off (without a password on the account: by a recent sign-in), then
 * /login's second step — an app code, a backup code (once), a wrong code and the attempt limit said
 * in words — and "Email me a code instead" there (the code from the local outbox: a wrong one refused
 * in words, the right one signs in, the used one is refused next time), with axe-core on each
 * two-factor view.
 */
import { readFile } from "node:fs/promises";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.ts";
import { freshPage, screenshot } from "../support/browser.ts";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { codeIn, lastEmailSeq, waitForEmail } from "../support/outbox.ts";
import { scanQrCode } from "../support/qr-scan.ts";
import { querySqlite } from "../support/stack.ts";
import { stackAndBrowserPerFile } from "../support/stack-and-browser-per-file.ts";
import { Authenticator, currentStep, totpAt } from "../support/totp.ts";

const file = stackAndBrowserPerFile("acct-2fa", "test/fixtures/two-factor.config.ts");
const { stage } = file;
const PASSWORD = "correct horse battery";
const WRONG_CODE = "That code is not right. Check your authenticator app and try again.";

const form = (page: Page, name: string) => page.getByRole("form", { name });
const twoFactorSection = (page: Page) => page.getByRole("region", { name: "Two-factor authentication" });
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");
let people = 0;

async function signUpInBrowser(page: Page): Promise<string> {
  const email = `ada-${++people}-${stage}@example.com`;
  await page.goto(`${file.stack.url}/login`);
  await form(page, "Sign in with password").getByRole("button", { name: "Create an account" }).click();
  const signUp = form(page, "Create an account");
  await signUp.getByLabel("Name", { exact: true }).fill("Ada");
  await signUp.getByLabel("Email", { exact: true }).fill(email);
  await signUp.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await signUp.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${file.stack.url}/account`);
  return email;
}

/** Someone who turned two-factor on earlier (over the API, as the stack test does). */
async function enrolledPerson(): Promise<{ email: string; app: Authenticator; backupCodes: string[] }> {
  const session = new Session(file.stack.url);
  const email = `grace-${++people}-${stage}@example.com`;
  expect(
    (await session.post("/auth/v1/sign-up/email", { name: "Grace", email, password: PASSWORD })).status,
  ).toBe(200);
  const res = await session.post("/auth/v1/two-factor/enable", { password: PASSWORD });
  const { totpURI, backupCodes } = (await res.json()) as { totpURI: string; backupCodes: string[] };
  const app = Authenticator.fromBase32(new URL(totpURI).searchParams.get("secret") ?? "");
  expect((await session.post("/auth/v1/two-factor/verify-totp", { code: await app.nextCode() })).status).toBe(
    200,
  );
  return { email, app, backupCodes };
}

async function signInWithPassword(page: Page, email: string) {
  await page.goto(`${file.stack.url}/login`);
  const signIn = form(page, "Sign in with password");
  await signIn.getByLabel("Email", { exact: true }).fill(email);
  await signIn.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await signIn.getByRole("button", { name: "Sign in" }).click();
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(`${file.stack.url}/login`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A password sign-in from another client, stopped at the second factor: its `two_factor` cookie. */
async function pendingSignInCookie(email: string): Promise<string> {
  const res = await new Session(file.stack.url).post("/auth/v1/sign-in/email", { email, password: PASSWORD });
  expect(await res.json()).toMatchObject({ twoFactorRedirect: true });
  const cookie = res.headers
    .getSetCookie()
    .map((line) => line.split(";")[0] as string)
    .find((pair) => pair.startsWith("better-auth.two_factor="));
  if (!cookie) throw new Error("no two_factor cookie");
  return cookie;
}

/** A six-digit code that is none of the app's codes in the server's window. */
function wrongCode(app: Authenticator): string {
  const now = currentStep();
  const valid = new Set([-1, 0, 1, 2].map((d) => totpAt(app.secret, now + d)));
  for (let n = 100_000; ; n += 7919) if (!valid.has(String(n))) return String(n);
}

const signedInAs = (page: Page) =>
  page.evaluate(async () => {
    const res = await fetch("/auth/v1/get-session", { credentials: "include" });
    return ((await res.json()) as { user: { email: string } } | null)?.user.email ?? null;
  });

describe("/account: two-factor authentication", () => {
  let page: Page;
  let context: BrowserContext;
  let errors: string[];
  let email: string;
  let app: Authenticator;
  let firstCodes: string[];

  afterAll(async () => {
    await context?.close();
  });

  it("turns on with the password, a QR code that scans to the setup key, and a first code from the app", async () => {
    ({ page, context, errors } = await freshPage(file.browser));
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: file.stack.url });
    email = await signUpInBrowser(page);
    await expect
      .poll(() => twoFactorSection(page).getByText("Off.", { exact: false }).isVisible())
      .toBe(true);

    const turnOn = form(page, "Turn on two-factor authentication");
    await turnOn.getByLabel("Your password").fill("not the password");
    await turnOn.getByRole("button", { name: "Turn on" }).click();
    await expect.poll(() => turnOn.getByRole("alert").textContent()).toBe("That password is not right.");
    await turnOn.getByLabel("Your password").fill(PASSWORD);
    await turnOn.getByRole("button", { name: "Turn on" }).click();

    // The step's heading takes the focus; the QR code holds the same secret as the key shown as text.
    const setUp = page.getByRole("heading", { name: "Set up your authenticator app" });
    await setUp.waitFor();
    await expect.poll(() => focusedId(page)).toBe("two-factor-step");
    const key = (await page.getByTestId("totp-secret").textContent()) ?? "";
    expect(key).toMatch(/^[A-Z2-7]{16,}$/);
    const qr = page.getByRole("img", { name: "QR code to add Two Factor Test to an authenticator app" });
    const uri = new URL(await scanQrCode(file.browser, qr));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("secret")).toBe(key);
    expect(uri.searchParams.get("issuer")).toBe("Acme Two Factor");
    expect(decodeURIComponent(uri.pathname)).toContain(email);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "account-two-factor-enroll");

    // Not on until a code checks out: a wrong one is refused in words.
    app = Authenticator.fromBase32(uri.searchParams.get("secret") ?? "");
    const confirm = form(page, "Confirm two-factor authentication");
    await confirm.getByLabel("Code from the app").fill("000000");
    await confirm.getByRole("button", { name: "Verify and turn on" }).click();
    await expect.poll(() => confirm.getByRole("alert").textContent()).toBe(WRONG_CODE);
    await confirm.getByLabel("Code from the app").fill(await app.nextCode());
    await confirm.getByRole("button", { name: "Verify and turn on" }).click();
    await page.getByRole("heading", { name: "Two-factor authentication is on." }).waitFor();
    expect(errors).toEqual([]);
  });

  it("shows the 10 backup codes once, to copy or download", async () => {
    await expect.poll(() => focusedId(page)).toBe("two-factor-step");
    const codes = page.getByRole("list", { name: "Your backup codes" }).getByRole("listitem");
    firstCodes = (await codes.allTextContents()).map((c) => c.trim());
    expect(firstCodes).toHaveLength(10);
    expect(new Set(firstCodes).size).toBe(10);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "account-two-factor-backup-codes");

    await page.getByRole("button", { name: "Copy codes" }).click();
    await expect.poll(() => page.getByText("Copied.").isVisible()).toBe(true);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    for (const code of firstCodes) expect(copied).toContain(code);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download codes" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("two-factor-test-backup-codes.txt");
    const saved = await readFile(await download.path(), "utf8");
    expect(saved.trim().split("\n").slice(-10)).toEqual(firstCodes);

    // Once saved, the codes are gone from the page: they are shown once.
    await page.getByRole("button", { name: "I have saved my backup codes" }).click();
    await expect
      .poll(() => twoFactorSection(page).getByText("On: signing in", { exact: false }).isVisible())
      .toBe(true);
    expect(await page.getByRole("list", { name: "Your backup codes" }).count()).toBe(0);
    await page.reload();
    await twoFactorSection(page).getByRole("form", { name: "Turn off two-factor authentication" }).waitFor();
    expect(await page.getByText(firstCodes[0] as string).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("gives new backup codes and turns off, each only with the password", async () => {
    const renew = form(page, "Get new backup codes");
    await renew.getByLabel("Your password").fill("not the password");
    await renew.getByRole("button", { name: "Get new backup codes" }).click();
    await expect.poll(() => renew.getByRole("alert").textContent()).toBe("That password is not right.");
    await renew.getByLabel("Your password").fill(PASSWORD);
    await renew.getByRole("button", { name: "Get new backup codes" }).click();
    await page.getByRole("heading", { name: "New backup codes", exact: true }).waitFor();
    const fresh = (
      await page.getByRole("list", { name: "Your backup codes" }).getByRole("listitem").allTextContents()
    ).map((c) => c.trim());
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((c) => firstCodes.includes(c))).toEqual([]);
    await page.getByRole("button", { name: "I have saved my backup codes" }).click();

    const off = form(page, "Turn off two-factor authentication");
    await off.getByLabel("Your password").fill("not the password");
    await off.getByRole("button", { name: "Turn off" }).click();
    await expect.poll(() => off.getByRole("alert").textContent()).toBe("That password is not right.");
    await off.getByLabel("Your password").fill(PASSWORD);
    await off.getByRole("button", { name: "Turn off" }).click();
    await form(page, "Turn on two-factor authentication").waitFor();

    // Off: the password alone signs in again.
    await signOut(page);
    await signInWithPassword(page, email);
    await page.waitForURL(`${file.stack.url}/account`);
    expect(await signedInAs(page)).toBe(email);
    expect(errors).toEqual([]);
  });
});

describe("/account: two-factor on an account without a password", () => {
  it("turns off with a sign-in of the last 5 minutes instead, and says so when it is older", async () => {
    const person = await enrolledPerson();
    const { page, context, errors } = await freshPage(file.browser);
    await signInWithPassword(page, person.email);
    const challenge = form(page, "Enter the code from your authenticator app");
    await challenge.getByLabel("Code", { exact: true }).fill(await person.app.nextCode());
    await challenge.getByLabel("Code", { exact: true }).press("Enter");
    await page.waitForURL(`${file.stack.url}/account`);
    // The password goes (as when it is unlinked once a provider is linked), and this sign-in grows old.
    const db = await localD1File("two-factor-test", stage);
    const userId = await page.evaluate(async () => {
      const res = await fetch("/auth/v1/get-session", { credentials: "include" });
      return ((await res.json()) as { user: { id: string } }).user.id;
    });
    await querySqlite(db, `DELETE FROM account WHERE providerId = 'credential' AND userId = '${userId}'`);
    const aged = (ms: number) =>
      querySqlite(db, `UPDATE session SET createdAt = createdAt + ${ms} WHERE userId = '${userId}'`);
    await aged(-600_000);
    await page.reload();

    const off = form(page, "Turn off two-factor authentication");
    await off.waitFor();
    // Once the page knows the account has no password, the field gives way to the rule.
    await expect.poll(() => off.textContent()).toContain("only within 5 minutes of signing in");
    expect(await off.getByLabel("Your password").count()).toBe(0);
    expect(await form(page, "Get new backup codes").count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await off.getByRole("button", { name: "Turn off" }).click();
    await expect
      .poll(() => off.getByRole("alert").textContent())
      .toBe("Sign in again (within the last 5 minutes) to turn two-factor off.");

    // Back to a sign-in just now (the stack test signs in again with a passkey): it goes off.
    await aged(600_000);
    await off.getByRole("button", { name: "Turn off" }).click();
    await form(page, "Turn on two-factor authentication").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("/login: the second factor", () => {
  it("asks for the app's code after the password, says when it is wrong, signs in by keyboard, and can trust the browser", async () => {
    const person = await enrolledPerson();
    const { page, context, errors } = await freshPage(file.browser);
    await signInWithPassword(page, person.email);
    const challenge = form(page, "Enter the code from your authenticator app");
    await challenge.waitFor();
    expect(await signedInAs(page)).toBeNull();
    // The code field has the focus, labelled, ready for typing.
    await expect.poll(() => focusedId(page)).toBe("field-second-factor");
    expect(await challenge.getByLabel("Code", { exact: true }).getAttribute("autocomplete")).toBe(
      "one-time-code",
    );
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "login-two-factor");

    await page.keyboard.type("123456");
    await page.keyboard.press("Enter");
    await expect.poll(() => challenge.getByRole("alert").textContent()).toBe(WRONG_CODE);
    await expect.poll(() => focusedId(page)).toBe("field-second-factor");
    expect(await signedInAs(page)).toBeNull();
    await screenshot(page, "login-two-factor-wrong-code");

    // The wrong code is selected, so the right one types over it; Tab reaches "trust", Space ticks it.
    await page.keyboard.type(await person.app.nextCode());
    await page.keyboard.press("Tab");
    expect(await focusedId(page)).toBe("field-trust-device");
    await page.keyboard.press("Space");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Enter");
    await page.waitForURL(`${file.stack.url}/account`);
    expect(await signedInAs(page)).toBe(person.email);

    // This browser is trusted for 30 days: the password alone signs in here.
    await signOut(page);
    await signInWithPassword(page, person.email);
    await page.waitForURL(`${file.stack.url}/account`);
    expect(await signedInAs(page)).toBe(person.email);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("takes a backup code instead, once: the same code is refused the next time", async () => {
    const person = await enrolledPerson();
    const [code] = person.backupCodes as [string];
    const { page, context, errors } = await freshPage(file.browser);
    await signInWithPassword(page, person.email);
    await form(page, "Enter the code from your authenticator app")
      .getByRole("button", { name: "Use a backup code instead" })
      .click();
    const backup = form(page, "Enter a backup code");
    await expect.poll(() => focusedId(page)).toBe("field-second-factor");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "login-two-factor-backup-code");
    await backup.getByLabel("Backup code").fill(code);
    await backup.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(`${file.stack.url}/account`);
    expect(await signedInAs(page)).toBe(person.email);

    // Not trusted this time: the next sign-in asks again, and the used code no longer works.
    await signOut(page);
    await signInWithPassword(page, person.email);
    await form(page, "Enter the code from your authenticator app")
      .getByRole("button", { name: "Use a backup code instead" })
      .click();
    await backup.getByLabel("Backup code").fill(code);
    await backup.getByRole("button", { name: "Verify" }).click();
    await expect
      .poll(() => backup.getByRole("alert").textContent())
      .toBe("That backup code is not right, or it has been used. Each backup code works once.");
    expect(await signedInAs(page)).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  // It waits out the limit's schedule (1 s, 2 s, 4 s, then the 8 s the person is told about).
  it("says how long to wait when guesses at the account's second factor hit its limit, then lets the right code in", {
    timeout: 90_000,
  }, async () => {
    const person = await enrolledPerson();
    const { page, context, errors } = await freshPage(file.browser);
    await signInWithPassword(page, person.email);
    const challenge = form(page, "Enter the code from your authenticator app");
    await challenge.waitFor();

    // Someone else with the password guesses in a sign-in of their own, from a new address each time,
    // as fast as the account's `second-factor` limit lets them: 5 free, then after 1 s, 2 s, 4 s.
    const cookie = await pendingSignInCookie(person.email);
    for (let guesses = 0, ip = 1; guesses < 8; ip++) {
      const res = await fetch(`${file.stack.url}/auth/v1/two-factor/verify-totp`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: file.stack.url,
          cookie,
          "cf-connecting-ip": `203.0.113.${ip}`,
        },
        body: JSON.stringify({ code: wrongCode(person.app) }),
      });
      await res.body?.cancel();
      if (res.status === 429) await sleep(Number(res.headers.get("retry-after") ?? 1) * 1000);
      else guesses++;
    }

    // The account now waits 8 s: the owner's right code is turned away, and the page says for how long.
    await challenge.getByLabel("Code", { exact: true }).fill(await person.app.nextCode());
    await challenge.getByRole("button", { name: "Verify" }).click();
    const alert = challenge.getByRole("alert");
    await alert.waitFor();
    const said = (await alert.textContent()) ?? "";
    expect(said).toMatch(/^Too many attempts\. Wait \d+ seconds? and try again\.$/);
    expect(await signedInAs(page)).toBeNull();

    // After the wait, the owner's own sign-in (untouched by the guesses) takes the code.
    await sleep(Number(/\d+/.exec(said)?.[0]) * 1000);
    await challenge.getByLabel("Code", { exact: true }).fill(await person.app.nextCode());
    await challenge.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(`${file.stack.url}/account`);
    expect(await signedInAs(page)).toBe(person.email);
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** The password, then "Email me a code instead" on the second step; returns the code emailed. */
async function signInToEmailedCode(page: Page, email: string): Promise<string> {
  await signInWithPassword(page, email);
  const after = await lastEmailSeq(stage);
  await form(page, "Enter the code from your authenticator app")
    .getByRole("button", { name: "Email me a code instead" })
    .click();
  await form(page, "Enter the code we emailed you").waitFor();
  return codeIn(await waitForEmail(stage, email, { after }));
}

describe("/login: an emailed code as the second factor", () => {
  // Two browser sign-ins, each waiting for an email: 3 s on a quiet machine, past the default 30 s
  // once in a CI run on a loaded one.
  it("signs in with the emailed code, refuses a wrong one in words, and the used one next time", {
    timeout: 60_000,
  }, async () => {
    const { email } = await enrolledPerson();
    const { page, context, errors } = await freshPage(file.browser);
    const code = await signInToEmailedCode(page, email);
    const step = form(page, "Enter the code we emailed you");
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id ?? ""))
      .toBe("field-second-factor");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "login-two-factor-emailed-code");

    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    await step.getByLabel("Code").fill(wrong);
    await step.getByRole("button", { name: "Verify" }).click();
    await expect
      .poll(() => step.getByRole("alert").textContent())
      .toBe("That code is not right. Check the latest email and try again.");
    await step.getByLabel("Code").fill(code);
    await step.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(`${file.stack.url}/account`);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${file.stack.url}/login`);
    await signInToEmailedCode(page, email);
    await step.getByLabel("Code").fill(code);
    await step.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => step.getByRole("alert").isVisible()).toBe(true);
    expect(page.url()).toContain("/login");
    expect(errors).toEqual([]);
    await context.close();
  });
});
