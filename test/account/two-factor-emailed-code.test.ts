/**
 * /login's second step, "Email me a code instead", in Chromium: after the password, the code comes
 * by email (the local outbox), a wrong one is refused in words, the right one signs in, and the
 * used code is refused on the next sign-in; axe-core on the emailed-code step.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.ts";
import { freshPage, screenshot } from "../support/browser.ts";
import { Session } from "../support/http.ts";
import { codeIn, lastEmailSeq, waitForEmail } from "../support/outbox.ts";
import { stackAndBrowserPerFile } from "../support/stack-and-browser-per-file.ts";
import { Authenticator } from "../support/totp.ts";

const file = stackAndBrowserPerFile("acct-2fa-mail", "test/fixtures/two-factor.config.ts");
const { stage } = file;
const PASSWORD = "correct horse battery";

const form = (page: Page, name: string) => page.getByRole("form", { name });

async function enrolledPerson(): Promise<string> {
  const session = new Session(file.stack.url);
  const email = `mia-${stage}@example.com`;
  expect(
    (await session.post("/auth/v1/sign-up/email", { name: "Mia", email, password: PASSWORD })).status,
  ).toBe(200);
  const { totpURI } = (await (
    await session.post("/auth/v1/two-factor/enable", { password: PASSWORD })
  ).json()) as {
    totpURI: string;
  };
  const app = Authenticator.fromBase32(new URL(totpURI).searchParams.get("secret") ?? "");
  expect((await session.post("/auth/v1/two-factor/verify-totp", { code: await app.nextCode() })).status).toBe(
    200,
  );
  return email;
}

async function signInToEmailedCode(page: Page, email: string): Promise<string> {
  await page.goto(`${file.stack.url}/login`);
  const signIn = form(page, "Sign in with password");
  await signIn.getByLabel("Email", { exact: true }).fill(email);
  await signIn.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await signIn.getByRole("button", { name: "Sign in" }).click();
  const after = await lastEmailSeq(stage);
  await form(page, "Enter the code from your authenticator app")
    .getByRole("button", { name: "Email me a code instead" })
    .click();
  await form(page, "Enter the code we emailed you").waitFor();
  return codeIn(await waitForEmail(stage, email, { after }));
}

describe("/login: an emailed code as the second factor", () => {
  it("signs in with the emailed code, refuses a wrong one in words, and the used one next time", async () => {
    const email = await enrolledPerson();
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
