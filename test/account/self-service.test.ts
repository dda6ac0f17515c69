/**
 * Account self-service in the Account SPA, in Chromium, as a person uses it: the sessions on
 * /account (which device, from where, since when; revoke one, or all the others) and changing
 * the password (other devices signed out unless unticked) with axe-core on each new view.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.ts";
import { freshPage, launchBrowser, screenshot } from "../support/browser.ts";
import { Session } from "../support/http.ts";
import { type RunningStack, runProgram, startStack, uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("acct-self");
const CONFIG = ["--config", "test/fixtures/self-service.config.ts"];
const PASSWORD = "correct horse battery";

let stack: RunningStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(stage, { args: CONFIG }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await runProgram(["--destroy", "--stage", stage, ...CONFIG]);
});

const form = (page: Page, name: string) => page.getByRole("form", { name });
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");
const sessionRows = (page: Page) => page.getByRole("list", { name: "Your sessions" }).getByRole("listitem");
let people = 0;

async function signUpInBrowser(page: Page, password = PASSWORD): Promise<string> {
  const email = `ada-${++people}-${stage}@example.com`;
  await page.goto(`${stack.url}/login`);
  await form(page, "Sign in with password").getByRole("button", { name: "Create an account" }).click();
  const signUp = form(page, "Create an account");
  await signUp.getByLabel("Name", { exact: true }).fill("Ada");
  await signUp.getByLabel("Email", { exact: true }).fill(email);
  await signUp.getByLabel("Password", { exact: true }).fill(password);
  await signUp.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${stack.url}/account`);
  return email;
}

async function signInWithPassword(page: Page, email: string, password = PASSWORD) {
  await page.goto(`${stack.url}/login`);
  const signIn = form(page, "Sign in with password");
  await signIn.getByLabel("Email", { exact: true }).fill(email);
  await signIn.getByLabel("Password", { exact: true }).fill(password);
  await signIn.getByRole("button", { name: "Sign in" }).click();
}

describe("/account: where you are signed in", () => {
  it("lists both browsers with device, IP and times, marks this one, and signing the other out ends it there", async () => {
    const first = await freshPage(browser);
    const other = await freshPage(browser);
    const email = await signUpInBrowser(first.page);
    await signInWithPassword(other.page, email);
    await other.page.waitForURL(`${stack.url}/account`);

    await first.page.reload();
    await expect.poll(() => sessionRows(first.page).count()).toBe(2);
    const [mine, theirs] = await sessionRows(first.page).allTextContents();
    expect(mine).toContain("Chrome on Linux");
    expect(mine).toContain("this device");
    expect(mine).toContain(`IP ${first.ip}`);
    expect(mine).toMatch(/signed in .+ · last active .+/);
    expect(theirs).toContain("Chrome on Linux");
    expect(theirs).not.toContain("this device");
    expect(theirs).toContain(`IP ${other.ip}`);
    // This device is signed out with the page's own Sign out button, not from the list.
    expect(await sessionRows(first.page).first().getByRole("button").count()).toBe(0);
    expect(await axeViolations(first.page)).toEqual([]);
    await screenshot(first.page, "account-sessions");

    await first.page.getByRole("button", { name: `Revoke Chrome on Linux, IP ${other.ip}` }).click();
    const section = first.page.getByRole("region", { name: "Where you are signed in" });
    await expect
      .poll(() => section.getByRole("status").textContent())
      .toBe(`Signed out Chrome on Linux (${other.ip}).`);
    expect(await sessionRows(first.page).count()).toBe(1);
    expect(await focusedId(first.page)).toBe("sessions-title");

    // The other browser's next visit to /account goes to the sign-in page; this one stays signed in.
    await other.page.goto(`${stack.url}/account`);
    await other.page.waitForURL((url) => url.pathname === "/login");
    await first.page.reload();
    await expect.poll(() => first.page.getByTestId("profile-email").textContent()).toBe(email);
    expect([...first.errors, ...other.errors]).toEqual([]);
    await first.context.close();
    await other.context.close();
  });

  it("signs out everywhere else at once: another browser and a script, while this browser stays", async () => {
    const first = await freshPage(browser);
    const other = await freshPage(browser);
    const email = await signUpInBrowser(first.page);
    await signInWithPassword(other.page, email);
    await other.page.waitForURL(`${stack.url}/account`);
    const script = new Session(stack.url);
    expect((await script.post("/auth/v1/sign-in/email", { email, password: PASSWORD })).status).toBe(200);

    await first.page.reload();
    await expect.poll(() => sessionRows(first.page).count()).toBe(3);
    expect(await sessionRows(first.page).allTextContents()).toContainEqual(
      expect.stringContaining(`IP ${script.ip}`),
    );
    await first.page.getByRole("button", { name: "Revoke all other sessions" }).click();
    const section = first.page.getByRole("region", { name: "Where you are signed in" });
    await expect
      .poll(() => section.getByRole("status").textContent())
      .toBe("Signed out everywhere else. Only this device is still signed in.");
    expect(await sessionRows(first.page).count()).toBe(1);
    expect(await first.page.getByRole("button", { name: "Revoke all other sessions" }).count()).toBe(0);
    expect(await axeViolations(first.page)).toEqual([]);

    await other.page.goto(`${stack.url}/account`);
    await other.page.waitForURL((url) => url.pathname === "/login");
    expect(await (await script.get("/auth/v1/get-session")).json()).toBeNull();
    await first.page.reload();
    await expect.poll(() => first.page.getByTestId("profile-email").textContent()).toBe(email);
    expect([...first.errors, ...other.errors]).toEqual([]);
    await first.context.close();
    await other.context.close();
  });
});

describe("/account: change password", () => {
  it("needs the current password and the sign-up length, signs other devices out, and the old password stops working", async () => {
    const me = await freshPage(browser);
    const other = await freshPage(browser);
    const email = await signUpInBrowser(me.page);
    await signInWithPassword(other.page, email);
    await other.page.waitForURL(`${stack.url}/account`);
    await me.page.reload();
    await expect.poll(() => sessionRows(me.page).count()).toBe(2);

    const change = form(me.page, "Change your password");
    const newPassword = "a brand new passphrase";
    // The box that signs other devices out is ticked unless the person unticks it.
    expect(await change.getByLabel("Sign out my other devices (recommended)").isChecked()).toBe(true);
    expect(await axeViolations(me.page)).toEqual([]);
    await screenshot(me.page, "account-change-password");

    // Shorter than sign-up allows (8): the browser holds the form back and says why.
    await change.getByLabel("Current password").fill(PASSWORD);
    await change.getByLabel("New password").fill("short");
    await change.getByRole("button", { name: "Change password" }).click();
    expect(
      await change.getByLabel("New password").evaluate((el) => (el as HTMLInputElement).validity.tooShort),
    ).toBe(true);
    expect(await change.getByLabel("New password").getAttribute("aria-describedby")).toBe(
      "field-new-password-hint",
    );
    expect(await me.page.locator("#field-new-password-hint").textContent()).toBe("At least 8 characters.");

    await change.getByLabel("Current password").fill("not the password");
    await change.getByLabel("New password").fill(newPassword);
    await change.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => change.getByRole("alert").textContent()).toBe("That password is not right.");

    await change.getByLabel("Current password").fill(PASSWORD);
    await change.getByRole("button", { name: "Change password" }).click();
    await expect
      .poll(() => change.getByRole("status").textContent())
      .toBe("Password changed. Your other devices are signed out.");
    expect(await change.getByLabel("Current password").inputValue()).toBe("");
    // This browser is still signed in (on a new session); the list now holds it alone.
    await expect.poll(() => sessionRows(me.page).count()).toBe(1);
    expect(await sessionRows(me.page).first().textContent()).toContain("this device");
    expect(await axeViolations(me.page)).toEqual([]);
    await other.page.goto(`${stack.url}/account`);
    await other.page.waitForURL((url) => url.pathname === "/login");

    // Signed out, the old password is refused and the new one signs in.
    await me.page.getByRole("button", { name: "Sign out" }).click();
    await me.page.waitForURL(`${stack.url}/login`);
    await signInWithPassword(me.page, email, PASSWORD);
    await expect
      .poll(() => form(me.page, "Sign in with password").getByRole("alert").textContent())
      .toBe("That email and password do not match an account.");
    await signInWithPassword(me.page, email, newPassword);
    await me.page.waitForURL(`${stack.url}/account`);
    await expect.poll(() => me.page.getByTestId("profile-email").textContent()).toBe(email);
    expect([...me.errors, ...other.errors]).toEqual([]);
    await me.context.close();
    await other.context.close();
  });

  it("keeps other devices signed in when the box is unticked", async () => {
    const me = await freshPage(browser);
    const other = await freshPage(browser);
    const email = await signUpInBrowser(me.page);
    await signInWithPassword(other.page, email);
    await other.page.waitForURL(`${stack.url}/account`);
    await me.page.reload();
    const change = form(me.page, "Change your password");
    await change.getByLabel("Current password").fill(PASSWORD);
    await change.getByLabel("New password").fill("another new passphrase");
    await change.getByLabel("Sign out my other devices (recommended)").uncheck();
    await change.getByRole("button", { name: "Change password" }).click();
    await expect
      .poll(() => change.getByRole("status").textContent())
      .toBe("Password changed. Your other devices stay signed in.");
    await other.page.goto(`${stack.url}/account`);
    await expect.poll(() => other.page.getByTestId("profile-email").textContent()).toBe(email);
    expect(new URL(other.page.url()).pathname).toBe("/account");
    expect([...me.errors, ...other.errors]).toEqual([]);
    await me.context.close();
    await other.context.close();
  });
});

