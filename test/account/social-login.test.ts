/**
 * /login with Google and GitHub, in Chromium: one button per provider the stack can use, a round
 * trip through the provider stand-in that lands signed in, and a provider failure that lands back
 * on /login with a message a person can read.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshPage, launchBrowser, screenshot } from "../support/browser.ts";
import { type SocialStack, startSocialStack } from "../support/social-stack.ts";
import { uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("social-spa");
let social: SocialStack;
let browser: Browser;

beforeAll(async () => {
  [social, browser] = await Promise.all([
    startSocialStack(stage, [{ sub: "2001", email: "nina@gmail.test", email_verified: true, name: "Nina" }]),
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
