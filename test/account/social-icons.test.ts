/**
 * /login's provider buttons in Chromium: each shows its provider's self-hosted mark (a neutral one
 * for a genericOAuth provider) under the page's strict CSP, with no violation reported; and a
 * generic OpenID provider signs a person in from its button, end to end.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshPage, launchBrowser, screenshot } from "../support/browser.ts";
import { type MoreSocialStack, startMoreSocialStack } from "../support/more-social-stack.ts";
import { uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("social-icons");
const rosa = { sub: "acme-7", email: "rosa@acme.test", email_verified: true, name: "Rosa" };
let social: MoreSocialStack;
let browser: Browser;

beforeAll(async () => {
  [social, browser] = await Promise.all([
    startMoreSocialStack(stage, {
      microsoft: [],
      acme: [rosa],
    }),
    launchBrowser(),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await social?.stop();
});

/** Records every CSP violation the page reports, from before its first script runs. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) => {
      seen.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

/** What the button's icon draws: the mark of the symbol it uses, and the drawn size. */
function iconOf(page: Page, name: string) {
  return page.getByRole("button", { name }).evaluate((button) => {
    const use = button.querySelector("svg.provider-icon use");
    const symbol = document.querySelector(use?.getAttribute("href") ?? "#none");
    const box = (use as SVGGraphicsElement | null)?.getBBox();
    const shown = button.querySelector("svg.provider-icon")?.getBoundingClientRect();
    return {
      mark: symbol?.getAttribute("data-mark") ?? null,
      drawn: Boolean(box && box.width > 0 && box.height > 0),
      size: shown ? Math.round(shown.width) : 0,
    };
  });
}

describe("/login's provider icons", () => {
  it("each button shows its provider's mark, the generic provider a neutral one, with no CSP violation", async () => {
    const { page, errors } = await freshPage(browser);
    const violations = await watchViolations(page);
    await page.goto(`${social.stack.url}/login`);
    await page.getByRole("button", { name: "Continue with Acme SSO" }).waitFor();
    expect(await page.getByRole("button", { name: /^Continue with / }).allTextContents()).toEqual([
      "Continue with Apple",
      "Continue with Microsoft",
      "Continue with Discord",
      "Continue with Acme SSO",
    ]);
    expect(await iconOf(page, "Continue with Apple")).toEqual({ mark: "apple", drawn: true, size: 18 });
    expect(await iconOf(page, "Continue with Microsoft")).toEqual({
      mark: "microsoft",
      drawn: true,
      size: 18,
    });
    expect(await iconOf(page, "Continue with Discord")).toEqual({ mark: "discord", drawn: true, size: 18 });
    expect(await iconOf(page, "Continue with Acme SSO")).toEqual({ mark: "generic", drawn: true, size: 18 });
    await screenshot(page, "login-social-icons");
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("Continue with Acme SSO (genericOAuth) signs in at the provider and lands on /account signed in", async () => {
    const { page, errors } = await freshPage(browser);
    await page.goto(`${social.stack.url}/login`);
    await page.getByRole("button", { name: "Continue with Acme SSO" }).click();
    await page.getByRole("button", { name: "Sign in as rosa@acme.test" }).click();
    await page.waitForURL(`${social.stack.url}/account`);
    await page.getByText("rosa@acme.test").first().waitFor();
    expect(errors).toEqual([]);
  });
});
