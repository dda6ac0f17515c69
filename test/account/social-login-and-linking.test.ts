/**
 * Social sign-in in the Account SPA, in Chromium, on one stack with Google and GitHub stand-ins:
 * - /login: one button per provider the stack can use, a round trip through the provider stand-in
 *   that lands signed in, and a provider failure that lands back on /login with a message a person
 *   can read;
 * - /account's linked accounts: sign in with Google on /login, link GitHub, see both, unlink
 *   GitHub, and be refused (in words) when unlinking Google, the last way in without a password. A
 *   provider that does not vouch for the address lands back on /account with a message. axe-core on
 *   the section.
 * Each test signs in as a person of its own (Nina; Rosa, Sam, Otto), so the suites share the stack.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.ts";
import { freshPage, launchBrowser, screenshot } from "../support/browser.ts";
import { type SocialStack, startSocialStack } from "../support/social-stack.ts";
import { uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("social-spa");
let social: SocialStack;
let browser: Browser;

beforeAll(async () => {
  [social, browser] = await Promise.all([
    startSocialStack(stage, [
      { sub: "2001", email: "nina@gmail.test", email_verified: true, name: "Nina" },
      { sub: "4001", email: "rosa@gmail.test", email_verified: true, name: "Rosa" },
      { sub: "4002", email: "sam@gmail.test", email_verified: true, name: "Sam" },
    ]),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await social?.stop();
});

describe("/login with social providers", () => {
  it("offers Continue with Google and GitHub beside the password form", async () => {
    const { page, errors } = await freshPage(browser);
    await page.goto(`${social.stack.url}/login`);
    await page.getByRole("button", { name: "Continue with Google" }).waitFor();
    expect(await page.getByRole("button", { name: /^Continue with / }).allTextContents()).toEqual([
      "Continue with Google",
      "Continue with GitHub",
    ]);
    await screenshot(page, "login-social");
    expect(errors).toEqual([]);
  });

  it("each button shows its provider's mark (self-hosted SVG), with no CSP violation", async () => {
    const { page, errors } = await freshPage(browser);
    await page.goto(`${social.stack.url}/login`);
    await page.getByRole("button", { name: "Continue with GitHub" }).waitFor();
    for (const [name, mark] of [
      ["Continue with Google", "google"],
      ["Continue with GitHub", "github"],
    ]) {
      const icon = await page.getByRole("button", { name }).evaluate((button) => {
        const use = button.querySelector("svg.provider-icon use") as SVGGraphicsElement | null;
        const symbol = document.querySelector(use?.getAttribute("href") ?? "#none");
        return { mark: symbol?.getAttribute("data-mark"), width: use?.getBBox().width ?? 0 };
      });
      expect(icon.mark, name).toBe(mark);
      expect(icon.width, name).toBeGreaterThan(0);
    }
    expect(errors).toEqual([]);
  });

  it("Continue with GitHub signs in at the provider and lands on /account signed in", async () => {
    social.github.signInAs({
      id: 601,
      login: "otto",
      name: "Otto",
      email: null,
      emails: [{ email: "otto@example.org", primary: true, verified: true }],
    });
    const { page, errors } = await freshPage(browser);
    await page.goto(`${social.stack.url}/login`);
    await page.getByRole("button", { name: "Continue with GitHub" }).click();
    await page.waitForURL(`${social.stack.url}/account`);
    await page.getByText("otto@example.org").first().waitFor();
    expect(errors).toEqual([]);
  });

  it("Continue with Google signs in through the provider's login step", async () => {
    const { page, errors } = await freshPage(browser);
    await page.goto(`${social.stack.url}/login`);
    await page.getByRole("button", { name: "Continue with Google" }).click();
    // The provider's own page: the person picks their account.
    await page.getByRole("button", { name: "Sign in as nina@gmail.test" }).click();
    await page.waitForURL(`${social.stack.url}/account`);
    await page.getByText("nina@gmail.test").first().waitFor();
    expect(errors).toEqual([]);
  });

  it("a provider outage lands back on /login with a message, signed out", async () => {
    social.github.failNext("/login/oauth/access_token");
    const { page } = await freshPage(browser);
    await page.goto(`${social.stack.url}/login`);
    await page.getByRole("button", { name: "Continue with GitHub" }).click();
    await page.waitForURL(/\/login\?error=invalid_code$/);
    await page.getByText("The provider did not complete the sign-in.").waitFor();
    await screenshot(page, "login-social-error");
  });
});

async function signInWithGoogle(page: Page, email: string) {
  await page.goto(`${social.stack.url}/login`);
  await page.getByRole("button", { name: "Continue with Google" }).click();
  await page.getByRole("button", { name: `Sign in as ${email}` }).click();
  await page.waitForURL(`${social.stack.url}/account`);
}

const linkedList = (page: Page) => page.getByRole("list", { name: "Your linked accounts" });
const linked = (page: Page) => linkedList(page).getByTestId("linked-account").allTextContents();

describe("/account's linked accounts", () => {
  it("links GitHub, lists both, unlinks GitHub, and refuses to unlink the last way in", async () => {
    const { page, errors } = await freshPage(browser);
    await signInWithGoogle(page, "rosa@gmail.test");
    const section = page.getByRole("region", { name: "Linked accounts" });
    await section.getByText("Google").waitFor();
    expect(await linked(page)).toEqual([expect.stringMatching(/^Google linked /)]);

    social.github.signInAs({
      id: 901,
      login: "rosa",
      name: "Rosa",
      email: null,
      emails: [{ email: "rosa@gmail.test", primary: true, verified: true }],
    });
    await section.getByRole("button", { name: "Link GitHub" }).click();
    await page.getByText("GitHub is linked. You can sign in with it now.").waitFor();
    // The message is shown once: the address bar is back to /account.
    expect(new URL(page.url()).search).toBe("");
    await linkedList(page).getByText("GitHub").waitFor();
    expect((await linked(page)).map((row) => row.split(" ")[0])).toEqual(["Google", "GitHub"]);
    expect(await section.getByRole("button", { name: /^Link / }).count()).toBe(0);
    await screenshot(page, "account-linked-accounts");
    const serious = (await axeViolations(page)).filter((v) => /\((serious|critical)\)/.test(v));
    expect(serious).toEqual([]);

    await section.getByRole("button", { name: "Unlink GitHub" }).click();
    await page.getByText("GitHub is unlinked.").waitFor();
    expect((await linked(page)).map((row) => row.split(" ")[0])).toEqual(["Google"]);
    await section.getByRole("button", { name: "Link GitHub" }).waitFor();

    await section.getByRole("button", { name: "Unlink Google" }).click();
    await section.getByRole("alert").filter({ hasText: "This is your last way to sign in." }).waitFor();
    expect((await linked(page)).map((row) => row.split(" ")[0])).toEqual(["Google"]);
    await screenshot(page, "account-unlink-refused");
    expect(errors).toEqual([]);
  });

  it("a provider that does not vouch for the address lands back on /account with a message; with a password set, Google may go", async () => {
    const { page } = await freshPage(browser);
    await signInWithGoogle(page, "sam@gmail.test");
    social.github.signInAs({
      id: 902,
      login: "not-sam",
      name: "Not Sam",
      email: null,
      emails: [{ email: "sam@gmail.test", primary: true, verified: false }],
    });
    const section = page.getByRole("region", { name: "Linked accounts" });
    await section.getByRole("button", { name: "Link GitHub" }).click();
    await section
      .getByRole("alert")
      .filter({ hasText: "GitHub did not confirm that this email address is yours, so it was not linked." })
      .waitFor();
    await linkedList(page).getByText("Google").waitFor();
    expect((await linked(page)).map((row) => row.split(" ")[0])).toEqual(["Google"]);
    await section.getByRole("button", { name: "Link GitHub" }).waitFor();

    // A first password is listed as "Password" (changed above, not unlinked here), and is a way in:
    // Google may go now.
    await page.getByLabel("New password").fill("correct horse battery");
    await page.getByRole("button", { name: "Set password" }).click();
    await linkedList(page).getByText("Password").waitFor();
    expect((await linked(page)).map((row) => row.split(" ")[0]).sort()).toEqual(["Google", "Password"]);
    expect(await linkedList(page).getByRole("button").allTextContents()).toEqual(["Unlink"]);
    await section.getByRole("button", { name: "Unlink Google" }).click();
    await page.getByText("Google is unlinked.").waitFor();
    expect((await linked(page)).map((row) => row.split(" ")[0])).toEqual(["Password"]);
  });
});
