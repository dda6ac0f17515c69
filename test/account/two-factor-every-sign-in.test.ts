/**
 * In Chromium: with two-factor on, /login asks for the authenticator's code after an emailed code
 * and after a magic link too (the link lands on /login's code step), and only then signs in.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.ts";
import { freshPage } from "../support/browser.ts";
import { Session } from "../support/http.ts";
import { codeIn, lastEmailSeq, linkIn, waitForEmail } from "../support/outbox.ts";
import { stackAndBrowserPerFile } from "../support/stack-and-browser-per-file.ts";
import { Authenticator } from "../support/totp.ts";

const file = stackAndBrowserPerFile("acct-2fa-every", "test/fixtures/two-factor-every-sign-in.config.ts");
const PASSWORD = "correct horse battery";

let people = 0;
async function enrolledPerson(): Promise<{ email: string; app: Authenticator }> {
  const session = new Session(file.stack.url);
  const email = `every-${++people}-${file.stage}@example.com`;
  expect(
    (await session.post("/auth/v1/sign-up/email", { name: "Every", email, password: PASSWORD })).status,
  ).toBe(200);
  const res = await session.post("/auth/v1/two-factor/enable", { password: PASSWORD });
  const { totpURI } = (await res.json()) as { totpURI: string };
  const app = Authenticator.fromBase32(new URL(totpURI).searchParams.get("secret") ?? "");
  expect((await session.post("/auth/v1/two-factor/verify-totp", { code: await app.nextCode() })).status).toBe(
    200,
  );
  return { email, app };
}

const signedInAs = (page: Page) =>
  page.evaluate(async () => {
    const res = await fetch("/auth/v1/get-session", { credentials: "include" });
    return ((await res.json()) as { user: { email: string } } | null)?.user.email ?? null;
  });

/** The code step: not signed in until the app's code, then on to /account. */
async function passSecondFactor(page: Page, who: { email: string; app: Authenticator }) {
  const challenge = page.getByRole("form", { name: "Enter the code from your authenticator app" });
  await challenge.waitFor();
  expect(await signedInAs(page)).toBeNull();
  expect(await axeViolations(page)).toEqual([]);
  await challenge.getByLabel("Code", { exact: true }).fill(await who.app.nextCode());
  await challenge.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL(`${file.stack.url}/account`);
  expect(await signedInAs(page)).toBe(who.email);
}

describe("/login with two-factor on", () => {
  it("asks for the app's code after an emailed code", async () => {
    const who = await enrolledPerson();
    const { page, context } = await freshPage(file.browser);
    await page.goto(`${file.stack.url}/login`);
    await page.getByLabel("Email", { exact: true }).fill(who.email);
    const after = await lastEmailSeq(file.stage);
    await page.getByRole("button", { name: "Email me a code" }).click();
    const code = codeIn(await waitForEmail(file.stage, who.email, { after }));
    const codeForm = page.getByRole("form", { name: "Enter the code from your email" });
    await codeForm.getByLabel("Code", { exact: true }).fill(code);
    await codeForm.getByRole("button", { name: "Sign in with code" }).click();
    await passSecondFactor(page, who);
    await context.close();
  });

  it("lands a magic link on the code step, then goes where the link was headed", async () => {
    const who = await enrolledPerson();
    const after = await lastEmailSeq(file.stage);
    const asked = await new Session(file.stack.url).post("/auth/v1/sign-in/magic-link", {
      email: who.email,
      callbackURL: `${file.stack.url}/account`,
    });
    expect(asked.status).toBe(200);
    const link = linkIn(await waitForEmail(file.stage, who.email, { after }), "/auth/v1/magic-link/verify");
    const { page, context } = await freshPage(file.browser);
    await page.goto(link);
    await page.waitForURL(
      (url) => url.pathname === "/login" && url.searchParams.get("second-factor") === "1",
    );
    await passSecondFactor(page, who);
    await context.close();
  });
});
