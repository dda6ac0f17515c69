/**
 * Account self-service in the Account SPA, in Chromium, as a person uses it, on one stack (the
 * users are per test, with addresses of their own), with axe-core on each new view:
 * - the sessions on /account (which device, from where, since when; revoke one, or all the others),
 *   changing the password (other devices signed out unless unticked) and deleting the account (the
 *   password, or a recent sign-in — a code emailed from the form gives one — and a ticked box);
 * - the password and email flows: forgot password from /login (reset email → /reset-password → sign
 *   in), setting a first password on an account that has none, changing the email address by a link
 *   to the new one, and sending a verification link again. Each with the attacker's cases: a reset
 *   link works once, an unknown address gets the answer a known one gets, a reset signs every device
 *   out; a password cannot be "set" over an existing one; an email-change link does nothing for
 *   anyone but the user who asked;
 * - "Security activity": the account's own audit events, newest first, in words (what happened,
 *   device, IP, time), failed sign-ins marked so "was that me?" can be answered, paged with "Show
 *   more", and never anyone else's events.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.ts";
import { freshPage, screenshot } from "../support/browser.ts";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { codeIn, lastEmailSeq, linkIn, waitForEmail } from "../support/outbox.ts";
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
/** One count for every suite here: each person's address is their own. */
let people = 0;

async function signUpInBrowser(page: Page, password = PASSWORD, name = "Ada"): Promise<string> {
  const email = `${name.toLowerCase()}-${++people}-${stage}@example.com`;
  await page.goto(`${file.stack.url}/login`);
  await form(page, "Sign in with password").getByRole("button", { name: "Create an account" }).click();
  const signUp = form(page, "Create an account");
  await signUp.getByLabel("Name", { exact: true }).fill(name);
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

/** One person signed up in one browser and signed in with the password in a second, on /account. */
async function signedInInTwoBrowsers() {
  const first = await freshPage(file.browser);
  const other = await freshPage(file.browser);
  const email = await signUpInBrowser(first.page);
  await signInWithPassword(other.page, email);
  await other.page.waitForURL(`${file.stack.url}/account`);
  return { first, other, email };
}

describe("self-service", () => {
  const sessionRows = (page: Page) => page.getByRole("list", { name: "Your sessions" }).getByRole("listitem");

  describe("/account: where you are signed in", { timeout: 120_000 }, () => {
    it("lists both browsers with device, IP and times, marks this one, and signing the other out ends it there", async () => {
      const { first, other, email } = await signedInInTwoBrowsers();

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
      await poll(() => focusedId(first.page)).toBe("sessions-title");

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
      const { first, other, email } = await signedInInTwoBrowsers();
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
      const { first: me, other, email } = await signedInInTwoBrowsers();
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
      const { first: me, other, email } = await signedInInTwoBrowsers();
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
      // The page has listed its one session before a script signs in: read later (a slow load on a
      // shared machine), the list would hold the script's too.
      await poll(() => sessionRows(me.page).count()).toBe(1);
      const script = new Session(file.stack.url);
      expect((await script.post("/auth/v1/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
      expect((await script.post("/auth/v1/api-key/create", { name: "ci" })).status).toBe(200);
      expect(await rowsLeftFor(userId)).toMatchObject({ apikey: 1 });
      // A session cookie alone (stolen, or a script's, signed in 10 minutes ago) cannot delete the account.
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
      // Polled: on a busy machine the form may be drawn before the page knows there is no password.
      await poll(() => confirm.textContent()).toContain("only within 5 minutes of signing in");
      expect(await confirm.getByLabel("Your password").count()).toBe(0);
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
      const created = await owner.post("/auth/v1/organization/create", {
        name: "Acme",
        slug: `acme-${stage}`,
      });
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
});

describe("password and email", () => {
  /** Signs in by emailed code: an account with no password. */
  async function signInWithCode(page: Page, email: string) {
    await page.goto(`${file.stack.url}/login`);
    const signIn = form(page, "Sign in with password");
    await signIn.getByLabel("Email", { exact: true }).fill(email);
    const after = await lastEmailSeq(stage);
    await signIn.getByRole("button", { name: "Email me a code" }).click();
    const enter = form(page, "Enter the code from your email");
    await enter.getByLabel("Code").fill(codeIn(await waitForEmail(stage, email, { after })));
    await enter.getByLabel("Code").press("Enter");
    await page.waitForURL(`${file.stack.url}/account`);
  }

  /** The signed-in user's own audit log (GET /api/v1/audit), newest first, as type and detail. */
  const auditOf = (page: Page) =>
    page.evaluate(async () => {
      const res = await fetch("/api/v1/audit", { credentials: "include" });
      const { events } = (await res.json()) as { events: { type: string; detail: unknown }[] };
      return events.map(({ type, detail }) => ({ type, detail }));
    });

  const sessionsOf = async (email: string) =>
    (
      await querySqlite<{ n: number }>(
        db,
        `SELECT count(*) AS n FROM "session" s JOIN "user" u ON u.id = s.userId WHERE u.email = '${email}'`,
      )
    )[0]?.n;

  describe("/login: forgot password", { timeout: 120_000 }, () => {
    it("emails a link to /reset-password; the new password signs in, every device is signed out, and the link works once", async () => {
      const me = await freshPage(file.browser);
      const other = await freshPage(file.browser);
      const email = await signUpInBrowser(other.page);
      expect(await sessionsOf(email)).toBe(1);

      await me.page.goto(`${file.stack.url}/login`);
      await form(me.page, "Sign in with password").getByLabel("Email", { exact: true }).fill(email);
      await me.page.getByRole("button", { name: "Forgot password?" }).click();
      const ask = form(me.page, "Reset your password");
      // The address typed so far comes along, and the field has the focus.
      expect(await ask.getByLabel("Email").inputValue()).toBe(email);
      // Focus moves once the form has rendered: wait for it as a keyboard user would.
      await poll(() => focusedId(me.page)).toBe("field-reset-email");
      expect(await axeViolations(me.page)).toEqual([]);
      const after = await lastEmailSeq(stage);
      await ask.getByRole("button", { name: "Email me a reset link" }).click();
      await poll(() => ask.getByRole("status").textContent()).toBe(
        `If an account uses ${email}, we sent it a link to reset the password. Check your inbox; the link works once, within an hour.`,
      );
      await screenshot(me.page, "login-forgot-password");
      const message = await waitForEmail(stage, email, { after });
      expect(message.kind).toBe("password-reset");
      const link = linkIn(message, "/auth/v1/reset-password/");

      await me.page.goto(link);
      await me.page.waitForURL((url) => url.pathname === "/reset-password" && url.searchParams.has("token"));
      const choose = form(me.page, "Choose a new password");
      expect(await axeViolations(me.page)).toEqual([]);
      await screenshot(me.page, "reset-password");
      // Shorter than sign-up allows: the browser holds the form back.
      await choose.getByLabel("New password").fill("short");
      await choose.getByRole("button", { name: "Set new password" }).click();
      expect(
        await choose.getByLabel("New password").evaluate((el) => (el as HTMLInputElement).validity.tooShort),
      ).toBe(true);
      const newPassword = "a passphrase chosen after forgetting";
      await choose.getByLabel("New password").fill(newPassword);
      await choose.getByRole("button", { name: "Set new password" }).click();
      await me.page.waitForURL((url) => url.pathname === "/login");
      await poll(() => me.page.getByRole("status").first().textContent()).toBe(
        "Your password is changed, and every device that was signed in is signed out. Sign in with your new password.",
      );
      expect(await axeViolations(me.page)).toEqual([]);

      // The other browser was signed in: the reset ended that session (and every other).
      expect(await sessionsOf(email)).toBe(0);
      await other.page.goto(`${file.stack.url}/account`);
      await other.page.waitForURL((url) => url.pathname === "/login");

      // The old password is refused; the new one signs in.
      await signInWithPassword(me.page, email, PASSWORD);
      await poll(() => form(me.page, "Sign in with password").getByRole("alert").textContent()).toBe(
        "That email and password do not match an account.",
      );
      await signInWithPassword(me.page, email, newPassword);
      await me.page.waitForURL(`${file.stack.url}/account`);
      await poll(() => me.page.getByTestId("profile-email").textContent()).toBe(email);
      // The audit log has the reset, as a password change.
      await poll(() => auditOf(me.page)).toContainEqual({ type: "password.change", detail: { reset: true } });

      // The link a second time: the page says it is spent and offers a new one; nothing changes.
      const again = await freshPage(file.browser);
      await again.page.goto(link);
      await again.page.waitForURL((url) => url.pathname === "/reset-password");
      await poll(() => again.page.getByRole("alert").textContent()).toBe(
        "This reset link is not valid any more: links work once and expire after an hour. Ask for a new link",
      );
      expect(await form(again.page, "Choose a new password").count()).toBe(0);
      expect(await axeViolations(again.page)).toEqual([]);
      // Straight at the API with the same token: refused too.
      const token = new URL(link).pathname.split("/").at(-1) as string;
      const replay = await new Session(file.stack.url).post("/auth/v1/reset-password", {
        token,
        newPassword: "the attacker's passphrase",
      });
      expect(replay.status).toBe(400);
      expect(((await replay.json()) as { code: string }).code).toBe("INVALID_TOKEN");
      // "Ask for a new link" opens the forgot-password step on /login.
      await again.page.getByRole("link", { name: "Ask for a new link" }).click();
      await poll(() => form(again.page, "Reset your password").count()).toBe(1);
      expect([...me.errors, ...other.errors, ...again.errors]).toEqual([]);
      for (const p of [me, other, again]) await p.context.close();
    });

    it("answers an unknown address exactly as a known one, and sends nothing to it", async () => {
      const known = await freshPage(file.browser);
      const email = await signUpInBrowser(known.page);
      await known.page.getByRole("button", { name: "Sign out" }).click();
      await known.page.waitForURL(`${file.stack.url}/login`);
      const nobody = `nobody-${stage}@example.com`;

      const answers: string[] = [];
      for (const address of [email, nobody]) {
        const page = (await freshPage(file.browser)).page;
        await page.goto(`${file.stack.url}/login?forgot=1`);
        const ask = form(page, "Reset your password");
        await ask.getByLabel("Email").fill(address);
        const response = page.waitForResponse((r) => r.url().endsWith("/auth/v1/request-password-reset"));
        await ask.getByRole("button", { name: "Email me a reset link" }).click();
        const res = await response;
        answers.push(`${res.status()} ${await res.text()}`);
        await poll(() => ask.getByRole("status").textContent()).toContain(`If an account uses ${address}`);
        await page.context().close();
      }
      expect(answers[1]).toBe(answers[0]);
      expect(answers[0]).toMatch(/^200 /);
      await waitForEmail(stage, email);
      await expect(waitForEmail(stage, nobody, { timeoutMs: 1_000 })).rejects.toThrow(/no email to nobody/);
      await known.context.close();
    });
  });

  describe("/account: set a password", { timeout: 120_000 }, () => {
    it('offers an account without one "Set a password" instead of "Change password"; then the password signs in', async () => {
      const me = await freshPage(file.browser);
      const email = `code-${++people}-${stage}@example.com`;
      await signInWithCode(me.page, email);
      const section = me.page.getByRole("region", { name: "Password" });
      const set = form(me.page, "Set a password");
      await poll(() => set.count()).toBe(1);
      expect(await form(me.page, "Change your password").count()).toBe(0);
      expect(await axeViolations(me.page)).toEqual([]);
      await screenshot(me.page, "account-set-password");

      await set.getByLabel("New password").fill("short");
      await set.getByRole("button", { name: "Set password" }).click();
      expect(
        await set.getByLabel("New password").evaluate((el) => (el as HTMLInputElement).validity.tooShort),
      ).toBe(true);
      const password = "my first real passphrase";
      await set.getByLabel("New password").fill(password);
      await set.getByRole("button", { name: "Set password" }).click();
      await poll(() => section.getByRole("status").textContent()).toBe(
        "Password set. You can now sign in with your email and this password.",
      );
      // Now the account has a password: the section changes it (with the current one).
      expect(await form(me.page, "Change your password").count()).toBe(1);
      expect(await set.count()).toBe(0);
      expect(await axeViolations(me.page)).toEqual([]);

      await me.page.getByRole("button", { name: "Sign out" }).click();
      await me.page.waitForURL(`${file.stack.url}/login`);
      await signInWithPassword(me.page, email, password);
      await me.page.waitForURL(`${file.stack.url}/account`);
      await poll(() => me.page.getByTestId("profile-email").textContent()).toBe(email);
      await poll(() => auditOf(me.page)).toContainEqual({ type: "password.change", detail: {} });
      expect(me.errors).toEqual([]);
      await me.context.close();
    });

    it("wants a sign-in of the last 5 minutes", async () => {
      const me = await freshPage(file.browser);
      const email = `code-${++people}-${stage}@example.com`;
      await signInWithCode(me.page, email);
      const set = form(me.page, "Set a password");
      await poll(() => set.count()).toBe(1);
      // The sign-in was 10 minutes ago. (The Worker may be writing its audit rows just then: retry a busy file.)
      await poll(() =>
        querySqlite(
          db,
          `UPDATE "session" SET "createdAt" = "createdAt" - 600000 WHERE "userId" = (SELECT id FROM "user" WHERE email = '${email}')`,
        ).then(
          () => "updated",
          (err: Error) => err.message,
        ),
      ).toBe("updated");
      await set.getByLabel("New password").fill("my first real passphrase");
      await set.getByRole("button", { name: "Set password" }).click();
      await poll(() => set.getByRole("alert").textContent()).toBe(
        "Sign in again (within the last 5 minutes) to set a password.",
      );
      const [row] = await querySqlite<{ n: number }>(
        db,
        `SELECT count(*) AS n FROM "account" a JOIN "user" u ON u.id = a.userId WHERE u.email = '${email}' AND a.password IS NOT NULL`,
      );
      expect(row?.n).toBe(0);
      expect(me.errors).toEqual([]);
      await me.context.close();
    });

    it("is refused to an account that has a password, however fresh the session: it is no way round the current password", async () => {
      const me = await freshPage(file.browser);
      const email = await signUpInBrowser(me.page);
      // A thief with the session cookie (a script here) tries to replace the password without knowing it.
      const thief = new Session(file.stack.url);
      expect((await thief.post("/auth/v1/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
      const res = await thief.post("/auth/v1/set-password", { newPassword: "the thief's passphrase" });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        code: "PASSWORD_ALREADY_SET",
        message: "This account has a password already. Change it with the current one.",
      });
      // The page offers no such form either, and the password is unchanged.
      expect(await form(me.page, "Change your password").count()).toBe(1);
      expect(await form(me.page, "Set a password").count()).toBe(0);
      const check = new Session(file.stack.url);
      expect((await check.post("/auth/v1/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
      expect(
        (await check.post("/auth/v1/sign-in/email", { email, password: "the thief's passphrase" })).status,
      ).toBe(401);
      await me.context.close();
    });
  });

  /** The user row for an address, as D1 holds it (or undefined). */
  const userRow = async (email: string) =>
    (
      await querySqlite<{ id: string; emailVerified: number }>(
        db,
        `SELECT id, emailVerified FROM "user" WHERE email = '${email}'`,
      )
    )[0];

  /** Opens "Change email address…" on /account and asks for `to`; returns the link emailed to `to`. */
  async function askForEmailChange(page: Page, to: string): Promise<string> {
    const section = page.getByRole("region", { name: "Email address" });
    await section.getByRole("button", { name: "Change email address…" }).click();
    const change = form(page, "Change your email address");
    await change.getByLabel("New email address").fill(to);
    const after = await lastEmailSeq(stage);
    await change.getByRole("button", { name: "Send confirmation link" }).click();
    await poll(() => change.getByRole("status").textContent()).toContain(`Check the inbox of ${to}`);
    const message = await waitForEmail(stage, to, { after });
    expect(message.kind).toBe("email-change");
    return linkIn(message, "/auth/v1/verify-email");
  }

  describe("/account: change the email address", { timeout: 120_000 }, () => {
    it("sends the new address a link and the old one a notice; nothing changes until the link is followed, then the new address signs in, verified", async () => {
      const me = await freshPage(file.browser);
      const old = await signUpInBrowser(me.page);
      const next = `new-${people}-${stage}@example.com`;
      const section = me.page.getByRole("region", { name: "Email address" });
      await section.getByRole("button", { name: "Change email address…" }).click();
      const change = form(me.page, "Change your email address");
      await poll(() => focusedId(me.page)).toBe("field-new-email");
      expect(await axeViolations(me.page)).toEqual([]);
      await change.getByLabel("New email address").fill(next);
      const after = await lastEmailSeq(stage);
      await change.getByRole("button", { name: "Send confirmation link" }).click();
      await poll(() => change.getByRole("status").textContent()).toBe(
        `Check the inbox of ${next}: follow the link we sent there to confirm it. Until then your email address stays ${old}.`,
      );
      await screenshot(me.page, "account-change-email");
      const toNew = await waitForEmail(stage, next, { after });
      expect(toNew.kind).toBe("email-change");
      const link = linkIn(toNew, "/auth/v1/verify-email");
      // The old address is told, and is handed no link that could finish the change.
      const notice = await waitForEmail(stage, old, { after });
      expect(notice.kind).toBe("email-change-notice");
      expect(notice.text).toContain(`asked to change its email address to ${next}`);
      expect(notice.text).not.toContain("verify-email");

      // Nothing has changed yet: the page, D1, and signing in say the old address.
      await me.page.reload();
      await poll(() => me.page.getByTestId("profile-email").textContent()).toBe(old);
      expect(await userRow(next)).toBeUndefined();
      expect(
        (
          await new Session(file.stack.url).post("/auth/v1/sign-in/email", {
            email: next,
            password: PASSWORD,
          })
        ).status,
      ).toBe(401);

      await me.page.goto(link);
      await me.page.waitForURL((url) => url.pathname === "/account");
      await poll(() => section.getByRole("status").first().textContent()).toBe(
        `Your email address is now ${next}.`,
      );
      expect(await me.page.getByTestId("profile-email").textContent()).toBe(next);
      // Following the link proved the new address.
      expect(await me.page.locator(".facts .badge").textContent()).toBe("verified");
      expect(await userRow(next)).toMatchObject({ emailVerified: 1 });
      expect(await userRow(old)).toBeUndefined();
      expect(await axeViolations(me.page)).toEqual([]);
      expect(await auditOf(me.page)).toContainEqual({ type: "email.change", detail: null });

      // The new address signs in with the password; the old one no longer does.
      await me.page.getByRole("button", { name: "Sign out" }).click();
      await me.page.waitForURL(`${file.stack.url}/login`);
      await signInWithPassword(me.page, old);
      await poll(() => form(me.page, "Sign in with password").getByRole("alert").textContent()).toBe(
        "That email and password do not match an account.",
      );
      await signInWithPassword(me.page, next);
      await me.page.waitForURL(`${file.stack.url}/account`);
      await poll(() => me.page.getByTestId("profile-email").textContent()).toBe(next);
      expect(me.errors).toEqual([]);
      await me.context.close();
    });

    it("binds the link to the user who asked: opened in another signed-in user's browser it changes nobody's address", async () => {
      const alice = await freshPage(file.browser);
      const mallory = await freshPage(file.browser);
      const aliceEmail = await signUpInBrowser(alice.page);
      const malloryEmail = await signUpInBrowser(mallory.page);
      const next = `taken-${people}-${stage}@example.com`;
      const link = await askForEmailChange(alice.page, next);
      const firstLinkSeenAt = Date.now();

      await mallory.page.goto(link);
      await mallory.page.waitForURL((url) => url.pathname === "/account");
      await poll(() =>
        mallory.page.getByRole("region", { name: "Email address" }).getByRole("alert").textContent(),
      ).toBe(
        "That link belongs to another account: it only works for the account that asked for the change. Nothing changed.",
      );
      expect(await mallory.page.getByTestId("profile-email").textContent()).toBe(malloryEmail);
      expect(await axeViolations(mallory.page)).toEqual([]);
      expect(await userRow(next)).toBeUndefined();
      expect(await userRow(aliceEmail)).toBeDefined();
      expect(await userRow(malloryEmail)).toBeDefined();

      // The refused link is spent (links work once), so Alice asks again; her own link changes her address.
      await alice.page.goto(link);
      await poll(() =>
        alice.page.getByRole("region", { name: "Email address" }).getByRole("alert").textContent(),
      ).toBe("That link is not valid any more (links work once and expire). Ask for a new one.");
      expect(await userRow(next)).toBeUndefined();
      // Better Auth's link is a JWT with second-resolution times: asked for again within the same
      // second, the same change gets the same token, which the first click already spent (a known
      // gap, docs/ROADMAP.md). A person asks a second later; so does this test.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstLinkSeenAt + 1000 - Date.now())));
      const again = await askForEmailChange(alice.page, next);
      await alice.page.goto(again);
      // On a miss, say where the page is and what it says, not only the old address.
      await poll(async () => {
        const shown = await alice.page.getByTestId("profile-email").textContent();
        if (shown === next) return shown;
        const alerts = await alice.page.getByRole("alert").allTextContents();
        return `${shown} at ${alice.page.url()}; alerts: ${JSON.stringify(alerts)}`;
      }).toBe(next);
      expect((await userRow(next))?.id).toBeDefined();
      expect(await userRow(aliceEmail)).toBeUndefined();
      expect(await userRow(malloryEmail)).toBeDefined();
      expect([...alice.errors, ...mallory.errors]).toEqual([]);
      await alice.context.close();
      await mallory.context.close();
    });
  });

  describe("/account: resend the verification email", { timeout: 120_000 }, () => {
    it("sends an unverified address a new link, which verifies it", async () => {
      const me = await freshPage(file.browser);
      const email = await signUpInBrowser(me.page);
      const section = me.page.getByRole("region", { name: "Email address" });
      await poll(() => section.textContent()).toContain("Your address is not verified yet.");
      expect(await me.page.locator(".facts .badge").textContent()).toBe("not verified");
      const after = await lastEmailSeq(stage);
      await section.getByRole("button", { name: "Send the verification link again" }).click();
      await poll(() => section.getByRole("status").textContent()).toBe(
        `We sent a new verification link to ${email}.`,
      );
      expect(await axeViolations(me.page)).toEqual([]);
      const message = await waitForEmail(stage, email, { after });
      expect(message.kind).toBe("verification");

      await me.page.goto(linkIn(message, "/auth/v1/verify-email"));
      await me.page.waitForURL((url) => url.pathname === "/account");
      await poll(() => section.getByRole("status").first().textContent()).toBe(
        "Your email address is verified.",
      );
      expect(await me.page.locator(".facts .badge").textContent()).toBe("verified");
      expect(await section.getByRole("button", { name: "Send the verification link again" }).count()).toBe(0);
      expect(await userRow(email)).toMatchObject({ emailVerified: 1 });
      expect(me.errors).toEqual([]);
      await me.context.close();
    });
  });
});

describe("security activity", () => {
  const activity = (page: Page) => page.getByRole("region", { name: "Security activity" });
  const rows = (page: Page) =>
    page.getByRole("list", { name: "Your security activity" }).getByRole("listitem");

  describe("/account: security activity", { timeout: 120_000 }, () => {
    it("shows a stranger's failed sign-in and a new browser's sign-in, newest first, with device and IP", async () => {
      const mine = await freshPage(file.browser);
      const other = await freshPage(file.browser);
      const email = await signUpInBrowser(mine.page, PASSWORD, "Grace");

      // Someone else tries the account with a wrong password, from a script at another address.
      const stranger = new Session(file.stack.url);
      const tried = await stranger.post("/auth/v1/sign-in/email", { email, password: "not the password" });
      expect(tried.status).toBe(401);
      // Then the owner signs in from a second browser.
      await other.page.goto(`${file.stack.url}/login`);
      const signIn = form(other.page, "Sign in with password");
      await signIn.getByLabel("Email", { exact: true }).fill(email);
      await signIn.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await signIn.getByRole("button", { name: "Sign in" }).click();
      await other.page.waitForURL(`${file.stack.url}/account`);

      // The audit write happens after each response: reload until all three are there.
      await poll(async () => {
        await mine.page.reload();
        await rows(mine.page).first().waitFor();
        return rows(mine.page).count();
      }).toBe(3);
      const [newest, failed, oldest] = await rows(mine.page).allTextContents();
      expect(newest).toContain("Signed in with a password");
      expect(newest).toContain(`Chrome on Linux · IP ${other.ip}`);
      expect(failed).toContain("Failed sign-in with a password (wrong password)");
      expect(failed).toContain(`IP ${stranger.ip}`);
      expect(oldest).toContain("Account created");
      expect(oldest).toContain(`Chrome on Linux · IP ${mine.ip}`);
      // The failure stands out with a badge, in words rather than colour alone.
      expect(await rows(mine.page).nth(1).locator(".badge.warn").textContent()).toBe("failed");
      // A date and time a person reads, not milliseconds.
      expect(newest).toMatch(/\d{4}.*\d{1,2}:\d{2}/);
      await activity(mine.page).scrollIntoViewIfNeeded();
      expect(await axeViolations(mine.page)).toEqual([]);
      await screenshot(mine.page, "account-security-activity");
      expect([...mine.errors, ...other.errors]).toEqual([]);
      await mine.context.close();
      await other.context.close();
    });

    it("pages with Show more until every event is listed, and shows none of another account's", async () => {
      const mine = await freshPage(file.browser);
      const email = await signUpInBrowser(mine.page, PASSWORD, "Grace");
      // Scripts signed in as the same person from 6 addresses (the Worker rate-limits each address),
      // 4 API keys each: more than one page (20) of events.
      for (let s = 0; s < 6; s++) {
        const script = new Session(file.stack.url);
        expect((await script.post("/auth/v1/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
        for (let i = 0; i < 4; i++) {
          const created = await script.post("/auth/v1/api-key/create", { name: `key ${s}.${i}` });
          expect(created.status).toBe(200);
        }
      }
      // Someone else's failed sign-in, on another account, must not appear here.
      const neighbour = new Session(file.stack.url);
      const neighbourEmail = `neighbour-${stage}@example.com`;
      await neighbour.post("/auth/v1/sign-up/email", {
        name: "N",
        email: neighbourEmail,
        password: PASSWORD,
      });
      await new Session(file.stack.url).post("/auth/v1/sign-in/email", {
        email: neighbourEmail,
        password: "wrong one!",
      });

      // sign-up + 6 sign-ins + 24 keys = 31 events, 20 on the first page.
      const total = 31;
      await poll(async () => {
        await mine.page.reload();
        await rows(mine.page).first().waitFor();
        const more = activity(mine.page).getByRole("button", { name: "Show more" });
        if ((await rows(mine.page).count()) === 20 && (await more.isVisible())) {
          await more.click();
          await poll(() => rows(mine.page).count()).toBeGreaterThan(20);
        }
        return rows(mine.page).count();
      }).toBe(total);
      expect(await activity(mine.page).getByRole("button", { name: "Show more" }).count()).toBe(0);
      const texts = await rows(mine.page).allTextContents();
      expect(texts.filter((t) => t.startsWith("API key created"))).toHaveLength(24);
      expect(texts.filter((t) => t.startsWith("Signed in with a password"))).toHaveLength(6);
      expect(texts.at(-1)).toContain("Account created");
      expect(texts.join("\n")).not.toContain("Failed sign-in");
      expect(mine.errors).toEqual([]);
      await mine.context.close();
    });
  });
});
