/**
 * /account's "Security activity" in Chromium: the account's own audit events, newest first, in words
 * (what happened, device, IP, time), failed sign-ins marked so "was that me?" can be answered, paged
 * with "Show more", and never anyone else's events; with axe-core on the section.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.ts";
import { freshPage, screenshot } from "../support/browser.ts";
import { Session } from "../support/http.ts";
import { stackAndBrowserPerFile } from "../support/stack-and-browser-per-file.ts";

const file = stackAndBrowserPerFile("acct-activity", "test/fixtures/self-service.config.ts");
const { stage } = file;
const PASSWORD = "correct horse battery";

const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });
const form = (page: Page, name: string) => page.getByRole("form", { name });
const activity = (page: Page) => page.getByRole("region", { name: "Security activity" });
const rows = (page: Page) => page.getByRole("list", { name: "Your security activity" }).getByRole("listitem");
let people = 0;

async function signUpInBrowser(page: Page): Promise<string> {
  const email = `grace-${++people}-${stage}@example.com`;
  await page.goto(`${file.stack.url}/login`);
  await form(page, "Sign in with password").getByRole("button", { name: "Create an account" }).click();
  const signUp = form(page, "Create an account");
  await signUp.getByLabel("Name", { exact: true }).fill("Grace");
  await signUp.getByLabel("Email", { exact: true }).fill(email);
  await signUp.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await signUp.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${file.stack.url}/account`);
  return email;
}

describe("/account: security activity", { timeout: 120_000 }, () => {
  it("shows a stranger's failed sign-in and a new browser's sign-in, newest first, with device and IP", async () => {
    const mine = await freshPage(file.browser);
    const other = await freshPage(file.browser);
    const email = await signUpInBrowser(mine.page);

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
    const email = await signUpInBrowser(mine.page);
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
    await neighbour.post("/auth/v1/sign-up/email", { name: "N", email: neighbourEmail, password: PASSWORD });
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
