/**
 * The Account SPA with `requireEmailVerification`, in Chromium: sign-up and guest upgrade answer with no
 * session, so the SPA says to check the inbox; the emailed link lands on /login saying the address is
 * verified; the password then signs in (the upgraded guest keeps its id).
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { freshPage, screenshot } from "../support/browser.ts";
import { lastEmailSeq, linkIn, waitForEmail } from "../support/outbox.ts";
import { stackAndBrowserPerFile } from "../support/stack-and-browser-per-file.ts";

const file = stackAndBrowserPerFile("acctver", "test/fixtures/account-verify.config.ts");
const { stage } = file;
const PASSWORD = "correct horse battery";

const form = (page: Page, name: string) => page.getByRole("form", { name });

function sessionOf(page: Page) {
  return page.evaluate(async () => {
    const res = await fetch("/auth/v1/get-session", { credentials: "include" });
    return (await res.json()) as { user: { id: string; email: string; isAnonymous?: boolean } } | null;
  });
}

/** On /login after the emailed link was asked for: the notice, then the link, then the password. */
async function verifyAndSignIn(page: Page, email: string, after: number) {
  await page.waitForURL(/\/login\?verify=/);
  await expect
    .poll(() => page.getByRole("status").first().textContent())
    .toBe(`Check your inbox: we sent a link to ${email}. Follow it to verify your address, then sign in.`);
  expect(await sessionOf(page)).toBeNull();

  const link = linkIn(await waitForEmail(stage, email, { after }), "/verify-email");
  // The link lands on this stack's /login, which goes on to /account after the sign-in.
  const callback = new URL(new URL(link).searchParams.get("callbackURL") ?? "");
  expect(`${callback.origin}${callback.pathname}`).toBe(`${file.stack.url}/login`);
  expect(callback.searchParams.get("verified")).toBe("1");
  expect(new URL(callback.searchParams.get("redirect") ?? "", file.stack.url).href).toBe(
    `${file.stack.url}/account`,
  );
  await page.goto(link);
  await page.waitForURL(/\/login\?verified=1/);
  await expect
    .poll(() => page.getByRole("status").first().textContent())
    .toBe("Your email address is verified. Sign in to continue.");
  await screenshot(page, "login-verified");

  const signIn = form(page, "Sign in with password");
  await signIn.getByLabel("Email", { exact: true }).fill(email);
  await signIn.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await signIn.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${file.stack.url}/account`);
  await expect.poll(() => page.getByTestId("profile-email").textContent()).toBe(email);
  expect(await page.getByText("verified", { exact: true }).count()).toBe(1);
}

describe("with requireEmailVerification", () => {
  it("sign-up says to check the inbox; the link verifies; the password signs in", async () => {
    const { page, errors, context } = await freshPage(file.browser);
    const email = `new-${stage}@example.com`;
    await page.goto(`${file.stack.url}/login`);
    await form(page, "Sign in with password").getByRole("button", { name: "Create an account" }).click();
    const signUp = form(page, "Create an account");
    await signUp.getByLabel("Name", { exact: true }).fill("Ada");
    await signUp.getByLabel("Email", { exact: true }).fill(email);
    await signUp.getByLabel("Password", { exact: true }).fill(PASSWORD);
    const after = await lastEmailSeq(stage);
    await signUp.getByRole("button", { name: "Create account" }).click();
    await verifyAndSignIn(page, email, after);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a guest's upgrade waits for the link, then the same account (same id) signs in", async () => {
    const { page, errors, context } = await freshPage(file.browser);
    await page.goto(`${file.stack.url}/login`);
    await page.getByRole("button", { name: "Continue as guest" }).click();
    await page.waitForURL(`${file.stack.url}/account`);
    const guest = await sessionOf(page);
    expect(guest?.user.isAnonymous).toBe(true);

    const email = `guest-${stage}@example.com`;
    const upgrade = form(page, "Upgrade guest account");
    await upgrade.getByLabel("Email").fill(email);
    await upgrade.getByLabel("Password").fill(PASSWORD);
    const after = await lastEmailSeq(stage);
    await upgrade.getByRole("button", { name: "Save account" }).click();
    await verifyAndSignIn(page, email, after);
    const upgraded = await sessionOf(page);
    expect(upgraded?.user).toMatchObject({ id: guest?.user.id, email, isAnonymous: false });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("refuses an upgrade whose verification link would land on an untrusted site", async () => {
    const { page, context } = await freshPage(file.browser);
    await page.goto(`${file.stack.url}/login`);
    await page.getByRole("button", { name: "Continue as guest" }).click();
    await page.waitForURL(`${file.stack.url}/account`);
    const status = await page.evaluate(async () => {
      const res = await fetch("/auth/v1/upgrade-anonymous", {
        method: "POST",
        credentials: "include",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          email: `evil-${Date.now()}@example.com`,
          password: "correct horse battery",
          callbackURL: "https://evil.example/phish",
        }),
      });
      return res.status;
    });
    expect(status).toBe(403);
    expect((await sessionOf(page))?.user.isAnonymous).toBe(true);
    await context.close();
  });
});
