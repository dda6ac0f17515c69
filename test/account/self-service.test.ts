/**
 * Account self-service in the Account SPA, in Chromium, as a person uses it: the sessions on
 * /account (which device, from where, since when; revoke one, or all the others) and changing
 * the password (other devices signed out unless unticked) and deleting the account (the password,
 * or a recent sign-in — a code emailed from the form gives one — and a ticked box), with axe-core on
 * each new view.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.ts";
import { freshPage, screenshot } from "../support/browser.ts";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { codeIn, lastEmailSeq, waitForEmail } from "../support/outbox.ts";
import { querySqlite } from "../support/stack.ts";
import { stackAndBrowserPerFile } from "../support/stack-and-browser-per-file.ts";

const file = stackAndBrowserPerFile("acct-self", "test/fixtures/self-service.config.ts");
const { stage } = file;
const PASSWORD = "correct horse battery";

let db: string;

beforeAll(async () => {
  db = await localD1File("self-service-test", stage);
});

/** The machine is shared: a page load and its calls may take seconds, which expect.poll's 1 s default misses. */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });
const form = (page: Page, name: string) => page.getByRole("form", { name });
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? "");
const sessionRows = (page: Page) => page.getByRole("list", { name: "Your sessions" }).getByRole("listitem");
let people = 0;

async function signUpInBrowser(page: Page, password = PASSWORD): Promise<string> {
  const email = `ada-${++people}-${stage}@example.com`;
  await page.goto(`${file.stack.url}/login`);
  await form(page, "Sign in with password").getByRole("button", { name: "Create an account" }).click();
  const signUp = form(page, "Create an account");
  await signUp.getByLabel("Name", { exact: true }).fill("Ada");
  await signUp.getByLabel("Email", { exact: true }).fill(email);
  await signUp.getByLabel("Password", { exact: true }).fill(password);
  await signUp.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${file.stack.url}/account`);
  return email;
}

async function signInWithPassword(page: Page, email: string, password = PASSWORD) {
  await page.goto(`${file.stack.url}/login`);
  const signIn = form(page, "Sign in with password");
  await signIn.getByLabel("Email", { exact: true }).fill(email);
  await signIn.getByLabel("Password", { exact: true }).fill(password);
  await signIn.getByRole("button", { name: "Sign in" }).click();
}

describe("/account: where you are signed in", { timeout: 120_000 }, () => {
  it("lists both browsers with device, IP and times, marks this one, and signing the other out ends it there", async () => {
    const first = await freshPage(file.browser);
    const other = await freshPage(file.browser);
    const email = await signUpInBrowser(first.page);
    await signInWithPassword(other.page, email);
    await other.page.waitForURL(`${file.stack.url}/account`);

    await first.page.reload();
    await poll(() => sessionRows(first.page).count()).toBe(2);
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
    await poll(() => section.getByRole("status").textContent()).toBe(
      `Signed out Chrome on Linux (${other.ip}).`,
    );
    expect(await sessionRows(first.page).count()).toBe(1);
    expect(await focusedId(first.page)).toBe("sessions-title");

    // The other browser's next visit to /account goes to the sign-in page; this one stays signed in.
    await other.page.goto(`${file.stack.url}/account`);
    await other.page.waitForURL((url) => url.pathname === "/login");
    await first.page.reload();
    await poll(() => first.page.getByTestId("profile-email").textContent()).toBe(email);
    expect([...first.errors, ...other.errors]).toEqual([]);
    await first.context.close();
    await other.context.close();
  });

  it("signs out everywhere else at once: another browser and a script, while this browser stays", async () => {
    const first = await freshPage(file.browser);
    const other = await freshPage(file.browser);
    const email = await signUpInBrowser(first.page);
    await signInWithPassword(other.page, email);
    await other.page.waitForURL(`${file.stack.url}/account`);
    const script = new Session(file.stack.url);
    expect((await script.post("/auth/v1/sign-in/email", { email, password: PASSWORD })).status).toBe(200);

    await first.page.reload();
    await poll(() => sessionRows(first.page).count()).toBe(3);
    expect(await sessionRows(first.page).allTextContents()).toContainEqual(
      expect.stringContaining(`IP ${script.ip}`),
    );
    await first.page.getByRole("button", { name: "Revoke all other sessions" }).click();
    const section = first.page.getByRole("region", { name: "Where you are signed in" });
    await poll(() => section.getByRole("status").textContent()).toBe(
      "Signed out everywhere else. Only this device is still signed in.",
    );
    expect(await sessionRows(first.page).count()).toBe(1);
    expect(await first.page.getByRole("button", { name: "Revoke all other sessions" }).count()).toBe(0);
    expect(await axeViolations(first.page)).toEqual([]);

    await other.page.goto(`${file.stack.url}/account`);
    await other.page.waitForURL((url) => url.pathname === "/login");
    expect(await (await script.get("/auth/v1/get-session")).json()).toBeNull();
    await first.page.reload();
    await poll(() => first.page.getByTestId("profile-email").textContent()).toBe(email);
    expect([...first.errors, ...other.errors]).toEqual([]);
    await first.context.close();
    await other.context.close();
  });
});

describe("/account: change password", { timeout: 120_000 }, () => {
  it("needs the current password and the sign-up length, signs other devices out, and the old password stops working", async () => {
    const me = await freshPage(file.browser);
    const other = await freshPage(file.browser);
    const email = await signUpInBrowser(me.page);
    await signInWithPassword(other.page, email);
    await other.page.waitForURL(`${file.stack.url}/account`);
    await me.page.reload();
    await poll(() => sessionRows(me.page).count()).toBe(2);

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
    await poll(() => change.getByRole("alert").textContent()).toBe("That password is not right.");

    await change.getByLabel("Current password").fill(PASSWORD);
    await change.getByRole("button", { name: "Change password" }).click();
    await poll(() => change.getByRole("status").textContent()).toBe(
      "Password changed. Your other devices are signed out.",
    );
    expect(await change.getByLabel("Current password").inputValue()).toBe("");
    // This browser is still signed in (on a new session); the list now holds it alone.
    await poll(() => sessionRows(me.page).count()).toBe(1);
    expect(await sessionRows(me.page).first().textContent()).toContain("this device");
    expect(await axeViolations(me.page)).toEqual([]);
    await other.page.goto(`${file.stack.url}/account`);
    await other.page.waitForURL((url) => url.pathname === "/login");

    // Signed out, the old password is refused and the new one signs in.
    await me.page.getByRole("button", { name: "Sign out" }).click();
    await me.page.waitForURL(`${file.stack.url}/login`);
    await signInWithPassword(me.page, email, PASSWORD);
    await poll(() => form(me.page, "Sign in with password").getByRole("alert").textContent()).toBe(
      "That email and password do not match an account.",
    );
    await signInWithPassword(me.page, email, newPassword);
    await me.page.waitForURL(`${file.stack.url}/account`);
    await poll(() => me.page.getByTestId("profile-email").textContent()).toBe(email);
    expect([...me.errors, ...other.errors]).toEqual([]);
    await me.context.close();
    await other.context.close();
  });

  it("keeps other devices signed in when the box is unticked", async () => {
    const me = await freshPage(file.browser);
    const other = await freshPage(file.browser);
    const email = await signUpInBrowser(me.page);
    await signInWithPassword(other.page, email);
    await other.page.waitForURL(`${file.stack.url}/account`);
    await me.page.reload();
    const change = form(me.page, "Change your password");
    await change.getByLabel("Current password").fill(PASSWORD);
    await change.getByLabel("New password").fill("another new passphrase");
    await change.getByLabel("Sign out my other devices (recommended)").uncheck();
    await change.getByRole("button", { name: "Change password" }).click();
    await poll(() => change.getByRole("status").textContent()).toBe(
      "Password changed. Your other devices stay signed in.",
    );
    await other.page.goto(`${file.stack.url}/account`);
    await poll(() => other.page.getByTestId("profile-email").textContent()).toBe(email);
    expect(new URL(other.page.url()).pathname).toBe("/account");
    expect([...me.errors, ...other.errors]).toEqual([]);
    await me.context.close();
    await other.context.close();
  });
});

/** What D1 still holds for a user id, table by table (the ones that point at the user). */
async function rowsLeftFor(userId: string): Promise<Record<string, number>> {
  const left: Record<string, number> = {};
  for (const [table, column] of [
    ["user", "id"],
    ["session", "userId"],
    ["account", "userId"],
    ["apikey", "referenceId"],
    ["member", "userId"],
  ] as const) {
    const [row] = await querySqlite<{ n: number }>(
      db,
      `SELECT count(*) AS n FROM "${table}" WHERE "${column}" = '${userId}'`,
    );
    left[table] = row?.n ?? -1;
  }
  return left;
}

const userIdOf = async (page: Page) =>
  page.evaluate(async () => {
    const res = await fetch("/auth/v1/get-session", { credentials: "include" });
    return ((await res.json()) as { user: { id: string } }).user.id;
  });

describe("/account: delete the account", { timeout: 120_000 }, () => {
  it("takes two steps, the password and a ticked box; then every session ends and the account cannot sign in", async () => {
    const me = await freshPage(file.browser);
    const email = await signUpInBrowser(me.page);
    const userId = await userIdOf(me.page);
    const script = new Session(file.stack.url);
    expect((await script.post("/auth/v1/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
    expect((await script.post("/auth/v1/api-key/create", { name: "ci" })).status).toBe(200);
    expect(await rowsLeftFor(userId)).toMatchObject({ apikey: 1 });
    // A session cookie alone (stolen, or a script's, signed in 10 minutes ago) cannot delete the account.
    await poll(() => sessionRows(me.page).count()).toBe(1);
    await querySqlite(
      db,
      `UPDATE "session" SET "createdAt" = "createdAt" - 600000 WHERE "userId" = '${userId}'`,
    );
    const bare = await script.post("/auth/v1/delete-user", {});
    expect(bare.status).toBe(403);
    expect(((await bare.json()) as { code: string }).code).toBe("PASSWORD_OR_FRESH_SIGN_IN_REQUIRED");

    const section = me.page.getByRole("region", { name: "Delete your account" });
    expect(await form(me.page, "Confirm account deletion").count()).toBe(0);
    await section.getByRole("button", { name: "Delete my account…" }).click();
    const confirm = form(me.page, "Confirm account deletion");
    await poll(() => focusedId(me.page)).toBe("delete-step");
    expect(await axeViolations(me.page)).toEqual([]);
    await screenshot(me.page, "account-delete");

    // The box is required: with the password alone the browser holds the form back.
    await confirm.getByLabel("Your password").fill(PASSWORD);
    await confirm.getByRole("button", { name: "Delete my account for good" }).click();
    const box = confirm.getByLabel("I understand my account is deleted for good");
    expect(await box.evaluate((el) => (el as HTMLInputElement).validity.valueMissing)).toBe(true);
    await box.check();
    await confirm.getByLabel("Your password").fill("not the password");
    await confirm.getByRole("button", { name: "Delete my account for good" }).click();
    await poll(() => confirm.getByRole("alert").textContent()).toBe("That password is not right.");
    expect(await rowsLeftFor(userId)).toMatchObject({ user: 1 });

    const before = await lastEmailSeq(stage);
    await confirm.getByLabel("Your password").fill(PASSWORD);
    await confirm.getByRole("button", { name: "Delete my account for good" }).click();
    await me.page.waitForURL((url) => url.pathname === "/login");
    await poll(() => me.page.getByRole("status").first().textContent()).toBe(
      "Your account is deleted. Thank you for having been with us.",
    );
    expect(await axeViolations(me.page)).toEqual([]);
    expect(await rowsLeftFor(userId)).toEqual({ user: 0, session: 0, account: 0, apikey: 0, member: 0 });
    expect(await (await script.get("/auth/v1/get-session")).json()).toBeNull();
    // The address it had is told, with nothing to follow.
    const told = await waitForEmail(stage, email, { after: before });
    expect(told.kind).toBe("account-deleted");
    expect(told.subject).toBe("Your Self Service Test account is deleted");
    expect(told.text).not.toContain("/auth/v1/");
    await signInWithPassword(me.page, email);
    await poll(() => form(me.page, "Sign in with password").getByRole("alert").textContent()).toBe(
      "That email and password do not match an account.",
    );
    expect(me.errors).toEqual([]);
    await me.context.close();
  });

  it("with a password, a code emailed from the form confirms it is you instead", async () => {
    const me = await freshPage(file.browser);
    const email = await signUpInBrowser(me.page);
    const userId = await userIdOf(me.page);
    // The page has loaded (its lists written nothing more) before the database is written by hand.
    await poll(() => sessionRows(me.page).count()).toBe(1);
    // Signed in 10 minutes ago: without the password, only a new sign-in will do.
    await querySqlite(
      db,
      `UPDATE "session" SET "createdAt" = "createdAt" - 600000 WHERE "userId" = '${userId}'`,
    );
    await me.page.getByRole("button", { name: "Delete my account…" }).click();
    const confirm = form(me.page, "Confirm account deletion");
    const itIsYou = form(me.page, "Confirm it is you");
    await poll(() => itIsYou.textContent()).toContain("Confirm it is you with your password below, or:");
    // This stack has no passkeys: the code is the one other way.
    expect(await itIsYou.getByRole("button", { name: "Confirm with a passkey" }).count()).toBe(0);
    const after = await lastEmailSeq(stage);
    await itIsYou.getByRole("button", { name: "Email me a code" }).click();
    const code = codeIn(await waitForEmail(stage, email, { after }));
    await poll(() => itIsYou.getByRole("status").textContent()).toBe(`We sent a 6-digit code to ${email}.`);
    expect(await axeViolations(me.page)).toEqual([]);
    // A wrong code is refused in words, and nothing is confirmed.
    await itIsYou.getByLabel("Code").fill(code === "000000" ? "111111" : "000000");
    await itIsYou.getByRole("button", { name: "Confirm with this code" }).click();
    await poll(() => itIsYou.getByRole("alert").count()).toBe(1);
    expect(await confirm.getByLabel("Your password").count()).toBe(1);
    await itIsYou.getByLabel("Code").fill(code);
    await itIsYou.getByLabel("Code").press("Enter");
    await poll(() => confirm.getByRole("status").textContent()).toBe(
      "Confirmed: you signed in again just now.",
    );
    expect(await itIsYou.count()).toBe(0);
    expect(await confirm.getByLabel("Your password").count()).toBe(0);
    expect(await axeViolations(me.page)).toEqual([]);

    await confirm.getByLabel("I understand my account is deleted for good").check();
    await confirm.getByRole("button", { name: "Delete my account for good" }).click();
    await me.page.waitForURL((url) => url.pathname === "/login");
    expect(await rowsLeftFor(userId)).toEqual({ user: 0, session: 0, account: 0, apikey: 0, member: 0 });
    expect(me.errors).toEqual([]);
    await me.context.close();
  });

  it("without a password, needs a sign-in of the last 5 minutes", async () => {
    const me = await freshPage(file.browser);
    const email = `code-${stage}@example.com`;
    await me.page.goto(`${file.stack.url}/login`);
    const signIn = form(me.page, "Sign in with password");
    await signIn.getByLabel("Email", { exact: true }).fill(email);
    const after = await lastEmailSeq(stage);
    await signIn.getByRole("button", { name: "Email me a code" }).click();
    const enter = form(me.page, "Enter the code from your email");
    await enter.getByLabel("Code").fill(codeIn(await waitForEmail(stage, email, { after })));
    await enter.getByLabel("Code").press("Enter");
    await me.page.waitForURL(`${file.stack.url}/account`);
    const userId = await userIdOf(me.page);
    // No password to change: the section says how this account signs in instead.
    await poll(() => me.page.getByRole("region", { name: "Password" }).textContent()).toContain(
      "You sign in without a password",
    );

    // The sign-in was 10 minutes ago: deleting asks for a new one.
    await querySqlite(
      db,
      `UPDATE "session" SET "createdAt" = "createdAt" - 600000 WHERE "userId" = '${userId}'`,
    );
    await me.page.getByRole("button", { name: "Delete my account…" }).click();
    const confirm = form(me.page, "Confirm account deletion");
    expect(await confirm.getByLabel("Your password").count()).toBe(0);
    expect(await confirm.textContent()).toContain("only within 5 minutes of signing in");
    expect(await axeViolations(me.page)).toEqual([]);
    await confirm.getByLabel("I understand my account is deleted for good").check();
    await confirm.getByRole("button", { name: "Delete my account for good" }).click();
    await poll(() => confirm.getByRole("alert").textContent()).toBe(
      "Sign in again (within the last 5 minutes) to delete your account.",
    );
    expect(await rowsLeftFor(userId)).toMatchObject({ user: 1 });

    // A new sign-in by code, and it goes.
    await me.page.getByRole("button", { name: "Sign out" }).click();
    await me.page.waitForURL(`${file.stack.url}/login`);
    await signIn.getByLabel("Email", { exact: true }).fill(email);
    const again = await lastEmailSeq(stage);
    await signIn.getByRole("button", { name: "Email me a code" }).click();
    await enter.getByLabel("Code").fill(codeIn(await waitForEmail(stage, email, { after: again })));
    await enter.getByLabel("Code").press("Enter");
    await me.page.waitForURL(`${file.stack.url}/account`);
    await me.page.getByRole("button", { name: "Delete my account…" }).click();
    await confirm.getByLabel("I understand my account is deleted for good").check();
    await confirm.getByRole("button", { name: "Delete my account for good" }).click();
    await me.page.waitForURL((url) => url.pathname === "/login");
    expect(await rowsLeftFor(userId)).toEqual({ user: 0, session: 0, account: 0, apikey: 0, member: 0 });
    expect(me.errors).toEqual([]);
    await me.context.close();
  });

  it("refuses the last owner of an organization, and lets them go once another member is an owner", async () => {
    const owner = new Session(file.stack.url);
    const email = `owner-${stage}@example.com`;
    const signUp = await owner.post("/auth/v1/sign-up/email", { name: "Olive", email, password: PASSWORD });
    const ownerId = ((await signUp.json()) as { user: { id: string } }).user.id;
    const created = await owner.post("/auth/v1/organization/create", { name: "Acme", slug: `acme-${stage}` });
    expect(created.status).toBe(200);
    const org = (await created.json()) as { id: string };

    const refused = await owner.post("/auth/v1/delete-user", { password: PASSWORD });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      code: "LAST_OWNER_OF_ORGANIZATION",
      message:
        "You are the only owner of an organization. Make another member an owner, or delete the organization, first.",
    });
    expect(await rowsLeftFor(ownerId)).toMatchObject({ user: 1, member: 1 });

    // A second owner joins (written straight to D1, as an accepted invitation would): now Olive may go.
    const other = new Session(file.stack.url);
    const otherUp = await other.post("/auth/v1/sign-up/email", {
      name: "Otto",
      email: `otto-${stage}@example.com`,
      password: PASSWORD,
    });
    const otherId = ((await otherUp.json()) as { user: { id: string } }).user.id;
    await querySqlite(
      db,
      `INSERT INTO "member" ("id", "organizationId", "userId", "role", "createdAt") VALUES ('m-${stage}', '${org.id}', '${otherId}', 'owner', ${Date.now()})`,
    );
    expect((await owner.post("/auth/v1/delete-user", { password: PASSWORD })).status).toBe(200);
    expect(await rowsLeftFor(ownerId)).toMatchObject({ user: 0, member: 0 });
  });
});
