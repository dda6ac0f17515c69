/**
 * /account/admin in Chromium, as an admin and as the people it acts on: find a user, set a role,
 * ban with a reason and an expiry (their browser is signed out, sign-in refused) and unban, read their
 * activity, impersonate them under a banner that cannot be missed and stop, revoke their sessions,
 * delete them with a confirmation. A non-admin sees no link, and forcing the page gets "Not for you"
 * while the server refuses the data (403). axe-core on each view.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.ts";
import { freshPage, screenshot } from "../support/browser.ts";
import { codeIn, lastEmailSeq, waitForEmail } from "../support/outbox.ts";
import { stackAndBrowserPerFile } from "../support/stack-and-browser-per-file.ts";
import { signUpUser, TEST_PASSWORD, type TestUser } from "../support/users.ts";

const file = stackAndBrowserPerFile("acct-admin", "test/fixtures/account-admin.config.ts");
const { stage } = file;

let boss: TestUser;

beforeAll(async () => {
  boss = await signUpUser(file.stack.url, "Boss", "boss@example.com");
  // Only a verified address in admin.userEmails is an admin: prove it with an emailed code.
  const after = await lastEmailSeq(stage);
  const sent = await boss.browser.post("/auth/v1/email-otp/send-verification-otp", {
    email: boss.email,
    type: "email-verification",
  });
  expect(sent.status).toBe(200);
  const otp = codeIn(await waitForEmail(stage, boss.email, { after }));
  const verified = await boss.browser.post("/auth/v1/email-otp/verify-email", { email: boss.email, otp });
  expect(verified.status).toBe(200);
});

const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });
const form = (page: Page, name: string) => page.getByRole("form", { name });
let people = 0;

async function signInInBrowser(page: Page, email: string): Promise<void> {
  await page.goto(`${file.stack.url}/login`);
  const signIn = form(page, "Sign in with password");
  await signIn.getByLabel("Email", { exact: true }).fill(email);
  await signIn.getByLabel("Password", { exact: true }).fill(TEST_PASSWORD);
  await signIn.getByRole("button", { name: "Sign in" }).click();
}

/** A person with an account, signed in in a browser of their own. */
async function person(name: string) {
  const user = await signUpUser(
    file.stack.url,
    name,
    `${name.toLowerCase()}-${++people}-${stage}@example.com`,
  );
  const tab = await freshPage(file.browser);
  await signInInBrowser(tab.page, user.email);
  await tab.page.waitForURL(`${file.stack.url}/account`);
  return { ...user, ...tab };
}

async function adminBrowser() {
  const tab = await freshPage(file.browser);
  await signInInBrowser(tab.page, boss.email);
  await tab.page.waitForURL(`${file.stack.url}/account`);
  return tab;
}

/** The admin opens /account/admin from /account's link, searches an address and opens that user. */
async function openUser(page: Page, email: string) {
  await page.goto(`${file.stack.url}/account`);
  await page.getByRole("link", { name: "Manage users (admin)" }).click();
  await page.waitForURL(`${file.stack.url}/account/admin`);
  const search = form(page, "Search users");
  await search.getByLabel("Search", { exact: true }).fill(email);
  await search.getByRole("button", { name: "Search" }).click();
  await poll(() => page.getByTestId("user-count").textContent()).toBe("1 user");
  await page.getByRole("button", { name: `Open ${email}` }).click();
  await page.getByRole("heading", { name: email }).waitFor();
}

describe("/account/admin", { timeout: 180_000 }, () => {
  it("is not for a non-admin: no link on /account, a plain refusal when forced, and 403 from the server", async () => {
    const alice = await person("Alice");
    await alice.page.getByTestId("profile-email").waitFor();
    await alice.page.getByRole("region", { name: "Security activity" }).waitFor();
    expect(await alice.page.getByRole("link", { name: /Manage users/ }).count()).toBe(0);

    await alice.page.goto(`${file.stack.url}/account/admin`);
    await alice.page.getByRole("heading", { name: "Not for you" }).waitFor();
    expect(await alice.page.getByRole("alert").textContent()).toContain("not one of them");
    expect(await alice.page.getByRole("list", { name: "Users" }).count()).toBe(0);
    expect(await axeViolations(alice.page)).toEqual([]);
    await screenshot(alice.page, "account-admin-not-for-you");
    // The attacker skips the page and calls the server from it: refused.
    const statuses = await alice.page.evaluate(async () => [
      (await fetch("/auth/v1/admin/list-users")).status,
      (await fetch("/api/v1/admin/audit")).status,
      (
        await fetch("/auth/v1/admin/ban-user", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        })
      ).status,
    ]);
    expect(statuses).toEqual([403, 403, 403]);
    // Signed out, the page asks to sign in first.
    const anonymous = await freshPage(file.browser);
    await anonymous.page.goto(`${file.stack.url}/account/admin`);
    await anonymous.page.waitForURL((url) => url.pathname === "/login");
    expect([...alice.errors, ...anonymous.errors]).toEqual([]);
    await alice.context.close();
    await anonymous.context.close();
  });

  it("lets an admin find a user, set a role, ban with a reason and an expiry (their session ends), unban, and read what happened", async () => {
    const bob = await person("Bob");
    const admin = await adminBrowser();
    await openUser(admin.page, bob.email);
    expect(await admin.page.getByTestId("user-status").textContent()).toBe("Active");
    await poll(() => admin.page.getByTestId("user-sessions").textContent()).toBe("2 active");
    expect(await axeViolations(admin.page)).toEqual([]);
    await screenshot(admin.page, "account-admin-user");

    await admin.page.getByLabel("Role", { exact: true }).selectOption("support");
    await admin.page.getByRole("button", { name: "Set role" }).click();
    await poll(() => admin.page.getByTestId("user-role").textContent()).toBe("support");

    const ban = form(admin.page, "Ban user");
    await ban.getByLabel("Reason for the ban").fill("Spam in the forum");
    await ban.getByLabel("Ban for").selectOption({ label: "7 days" });
    await ban.getByRole("button", { name: "Ban and sign out" }).click();
    await poll(() => admin.page.getByTestId("user-status").textContent()).toMatch(
      /^Banned: Spam in the forum \(until .+\)$/,
    );
    await poll(() => admin.page.getByTestId("user-sessions").textContent()).toBe("0 active");
    // Bob's browser is signed out at its next page load, and signing in again is refused.
    await bob.page.reload();
    await bob.page.waitForURL((url) => url.pathname === "/login");
    await signInInBrowser(bob.page, bob.email);
    await poll(() => bob.page.getByRole("alert").textContent()).toMatch(/banned/i);
    expect(bob.page.url()).toContain("/login");

    await admin.page.getByRole("button", { name: "Unban" }).click();
    await poll(() => admin.page.getByTestId("user-status").textContent()).toBe("Active");
    await signInInBrowser(bob.page, bob.email);
    await bob.page.waitForURL(`${file.stack.url}/account`);

    // What happened to Bob's account, newest first, the admin's actions included (each audit write
    // lands after its response: open the user again until the last one is there).
    await poll(async () => {
      await openUser(admin.page, bob.email);
      const activity = admin.page
        .getByRole("list", { name: `Activity of ${bob.email}` })
        .getByRole("listitem");
      await activity.first().waitFor();
      return (await activity.allTextContents()).join("\n");
    }).toMatch(
      /^Signed in with a password[\s\S]*Ban lifted by an admin[\s\S]*Failed sign-in with a password \(account banned\)[\s\S]*Banned by an admin: Spam in the forum[\s\S]*Role changed by an admin to support[\s\S]*Account created/,
    );
    expect(await axeViolations(admin.page)).toEqual([]);
    expect([...admin.errors, ...bob.errors]).toEqual([]);
    await admin.context.close();
    await bob.context.close();
  });

  it("impersonates under a banner on every page that cannot be missed, and Stop impersonating returns the admin", async () => {
    const carol = await person("Carol");
    const admin = await adminBrowser();
    await openUser(admin.page, carol.email);
    await admin.page.getByRole("button", { name: "Impersonate" }).click();
    await admin.page.waitForURL(`${file.stack.url}/account`);
    await poll(() => admin.page.getByTestId("profile-email").textContent()).toBe(carol.email);

    const banner = admin.page.getByRole("complementary", { name: "Impersonation" });
    await banner.waitFor();
    expect(await banner.textContent()).toContain(`You are impersonating ${carol.email}`);
    // First thing on the page, at the very top, before the page's own heading.
    const box = await banner.boundingBox();
    expect(box?.y).toBe(0);
    expect(box?.height).toBeGreaterThan(30);
    expect(
      await admin.page.evaluate(() => document.body.querySelector("#app")?.firstElementChild?.tagName),
    ).toBe("ASIDE");
    expect(await axeViolations(admin.page)).toEqual([]);
    await screenshot(admin.page, "account-impersonating");

    // Acting as Carol, the admin page is not open (the session is hers), and the banner stays.
    await admin.page.goto(`${file.stack.url}/account/admin`);
    await admin.page.getByRole("heading", { name: "Not for you" }).waitFor();
    await banner.waitFor();
    await banner.getByRole("button", { name: "Stop impersonating" }).click();
    await admin.page.waitForURL(`${file.stack.url}/account/admin`);
    await admin.page.getByRole("heading", { name: "Manage users" }).waitFor();
    expect(await banner.count()).toBe(0);

    // Carol's own activity says an admin acted as her.
    await carol.page.reload();
    const mine = carol.page.getByRole("list", { name: "Your security activity" }).getByRole("listitem");
    await poll(async () => {
      await carol.page.reload();
      await mine.first().waitFor();
      return (await mine.allTextContents()).join("\n");
    }).toContain("An admin started acting as this account");
    expect([...admin.errors, ...carol.errors]).toEqual([]);
    await admin.context.close();
    await carol.context.close();
  });

  it("revokes a user's sessions, and deletes a user only after a ticked confirmation", async () => {
    const dave = await person("Dave");
    const admin = await adminBrowser();
    await openUser(admin.page, dave.email);
    await admin.page.getByRole("button", { name: "Revoke all sessions" }).click();
    await poll(() => admin.page.getByTestId("user-sessions").textContent()).toBe("0 active");
    await dave.page.reload();
    await dave.page.waitForURL((url) => url.pathname === "/login");

    await admin.page.getByRole("button", { name: "Delete user…" }).click();
    const confirm = form(admin.page, "Confirm user deletion");
    // Without the box ticked, the browser refuses to send it and Dave is still there.
    await confirm.getByRole("button", { name: "Delete for good" }).click();
    expect(await admin.page.getByRole("heading", { name: dave.email }).count()).toBe(1);
    expect(await axeViolations(admin.page)).toEqual([]);
    await confirm.getByLabel(`I understand ${dave.email} is deleted for good`).check();
    await confirm.getByRole("button", { name: "Delete for good" }).click();
    await poll(() => admin.page.getByRole("status").first().textContent()).toBe(`Deleted ${dave.email}.`);
    const search = form(admin.page, "Search users");
    await search.getByLabel("Search", { exact: true }).fill(dave.email);
    await search.getByRole("button", { name: "Search" }).click();
    await poll(() => admin.page.getByTestId("user-count").textContent()).toBe("0 users");
    await signInInBrowser(dave.page, dave.email);
    await poll(() => dave.page.getByRole("alert").textContent()).toContain("do not match an account");
    expect([...admin.errors, ...dave.errors]).toEqual([]);
    await admin.context.close();
    await dave.context.close();
  });
});
