/**
 * /login on a stack without passwords (emailed code and emailed link only), in Chromium: one email
 * field, no password or sign-up, Enter sends the code, and the address stays when going back.
 */
import { describe, expect, it } from "vitest";
import { freshPage, screenshot } from "../support/browser.ts";
import { codeIn, lastEmailSeq, linkIn, waitForEmail } from "../support/outbox.ts";
import { stackAndBrowserPerFile } from "../support/stack-and-browser-per-file.ts";

const file = stackAndBrowserPerFile("pwless", "test/fixtures/account-passwordless.config.ts");
const { stage } = file;

describe("/login without passwords", () => {
  it("has no password sign-up behind the page either: the config never asked for passwords", async () => {
    const signUp = await fetch(`${file.stack.url}/auth/v1/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: file.stack.url },
      body: JSON.stringify({
        name: "Mallory",
        email: `pw-${stage}@example.com`,
        password: "correct horse battery",
      }),
    });
    expect(signUp.status, await signUp.clone().text()).toBe(400);
    expect(((await signUp.json()) as { code: string }).code).toBe("EMAIL_PASSWORD_SIGN_UP_DISABLED");
    const status = (await (await fetch(`${file.stack.url}/api/v1/system/status`)).json()) as {
      emailAndPassword: boolean;
      plugins: string[];
    };
    expect(status).toMatchObject({ emailAndPassword: false, plugins: ["emailOtp", "magicLink"] });
    expect(file.stack.outputs.plugins).toEqual(["emailOtp", "magicLink"]);
  });

  it("offers one email field with the code first, sends it on Enter, and keeps the address to go back", async () => {
    const email = `code-${stage}@example.com`;
    const { page, errors, context } = await freshPage(file.browser);
    await page.goto(`${file.stack.url}/login`);
    const signIn = page.getByRole("form", { name: "Sign in with email" });
    await signIn.waitFor();
    expect(await page.locator("input").count()).toBe(1);
    expect(await page.locator('input[type="password"]').count()).toBe(0);
    expect(await page.getByRole("button", { name: "Create an account" }).count()).toBe(0);
    const buttons = await signIn.getByRole("button").allTextContents();
    expect(buttons).toEqual(["Email me a code", "Email me a sign-in link"]);
    await screenshot(page, "login-passwordless");

    const after = await lastEmailSeq(stage);
    await page.keyboard.press("Tab");
    await page.keyboard.type(email);
    await page.keyboard.press("Enter");
    expect(codeIn(await waitForEmail(stage, email, { after }))).toMatch(/^\d{6}$/);
    const enter = page.getByRole("form", { name: "Enter the code from your email" });
    await expect
      .poll(() => enter.getByRole("status").textContent())
      .toBe(`We sent a 6-digit code to ${email}.`);

    // Back to the choice, with the address still filled in; then the code, typed, signs in.
    await enter.getByRole("button", { name: "Use another email or method" }).click();
    expect(await signIn.getByLabel("Email").inputValue()).toBe(email);
    const first = await lastEmailSeq(stage);
    await signIn.getByRole("button", { name: "Email me a code" }).click();
    const code = codeIn(await waitForEmail(stage, email, { after: first }));
    await enter.getByLabel("Code").fill(code);
    await enter.getByLabel("Code").press("Enter");
    await page.waitForURL(`${file.stack.url}/account`);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("sends a sign-in link to the same address and signs in with it", async () => {
    const email = `link-${stage}@example.com`;
    const { page, errors, context } = await freshPage(file.browser);
    await page.goto(`${file.stack.url}/login`);
    const signIn = page.getByRole("form", { name: "Sign in with email" });
    await signIn.getByLabel("Email").fill(email);
    const after = await lastEmailSeq(stage);
    await signIn.getByRole("button", { name: "Email me a sign-in link" }).click();
    await expect
      .poll(() => signIn.getByRole("status").textContent())
      .toBe(`Check your inbox: we sent a sign-in link to ${email}.`);
    await page.goto(linkIn(await waitForEmail(stage, email, { after }), "/magic-link/verify"));
    await page.waitForURL(`${file.stack.url}/account`);
    await expect.poll(() => page.getByTestId("profile-email").textContent()).toBe(email);
    expect(errors).toEqual([]);
    await context.close();
  });
});
