/**
 * The Account SPA on a local stack, used in Debian's Chromium as a person would: how it is served,
 * /login with every sign-in method (password, email code, magic link, passkey, guest), and /account
 * (guest upgrade, passkeys, API keys, organization switch, sign-out). Screenshots go to test-artifacts/account/.
 */
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.ts";
import { addVirtualAuthenticator, freshPage, screenshot } from "../support/browser.ts";
import { localD1File } from "../support/local-d1.ts";
import { codeIn, lastEmailSeq, linkIn, waitForEmail } from "../support/outbox.ts";
import { querySqlite } from "../support/stack.ts";
import { stackAndBrowserPerFile } from "../support/stack-and-browser-per-file.ts";

const APP = "account-spa-test";
const file = stackAndBrowserPerFile("acct", "test/fixtures/account.config.ts");
const { stage } = file;
const PASSWORD = "correct horse battery";

let db: string;

beforeAll(async () => {
  db = await localD1File(APP, stage);
});

/** A new browser profile on a page of the stack; fails the test on any page error or CSP violation. */
async function open(pathname: string) {
  const { context, page, errors } = await freshPage(file.browser);
  await page.goto(`${file.stack.url}${pathname}`);
  return { context, page, errors };
}

const form = (page: Page, name: string) => page.getByRole("form", { name });

async function signUpWithPassword(page: Page, name: string, email: string, from = "/login") {
  await page.goto(`${file.stack.url}${from}`);
  const password = form(page, "Sign in with password");
  await password.getByRole("button", { name: "Create an account" }).click();
  const signUp = form(page, "Create an account");
  await signUp.getByLabel("Name", { exact: true }).fill(name);
  await signUp.getByLabel("Email", { exact: true }).fill(email);
  await signUp.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await signUp.getByRole("button", { name: "Create account" }).click();
  // Either the account page, or the page's own explanation of why not (named in the failure).
  const refused = signUp.getByRole("alert");
  // The machine is shared: a sign-up may take seconds, which expect.poll's 1 s default misses.
  await expect
    .poll(async () => new URL(page.url()).pathname === "/account" || (await refused.count()) > 0, {
      timeout: 15_000,
    })
    .toBe(true);
  if (new URL(page.url()).pathname !== "/account") {
    throw new Error(`sign-up as ${email} failed: ${await refused.textContent()}`);
  }
  await expect.poll(() => page.getByTestId("profile-email").textContent()).toContain(email);
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(`${file.stack.url}/login`);
}

/** What get-session says in this page's browser profile. */
function sessionOf(page: Page) {
  return page.evaluate(async () => {
    const res = await fetch("/auth/v1/get-session", { credentials: "include" });
    return (await res.json()) as {
      user: { id: string; email: string; isAnonymous?: boolean };
      session: { activeOrganizationId?: string | null };
    } | null;
  });
}

describe("serving the Account SPA", () => {
  it("serves each page with a strict CSP and no-cache, and hashed assets as immutable", async () => {
    for (const pathname of ["/login", "/consent", "/account", "/accept-invitation", "/reset-password"]) {
      const res = await fetch(`${file.stack.url}${pathname}`);
      expect(res.status, pathname).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("unsafe");
      await res.body?.cancel();
    }
    const html = await (await fetch(`${file.stack.url}/login`)).text();
    // The page learns the stack's methods from the Worker that serves it, not from a second config.
    expect(html).toContain('name="authform-stack"');
    expect(html).toContain("&quot;passkey&quot;");
    // Every placeholder filled in; without social sign-in, no provider icons either.
    expect(html).not.toContain("%AUTHFORM");
    expect(html).not.toContain("provider-icon");
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
    expect(assets).toHaveLength(2);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/assets\/app-[0-9a-f]{10}\.(js|css)$/);
      const res = await fetch(`${file.stack.url}${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      const body = await res.text();
      if (asset.endsWith(".js")) {
        expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
        // The whole SPA, Preact included, stays small.
        expect(gzipSync(body).length).toBeLessThan(25 * 1024);
      } else {
        expect(res.headers.get("content-type")).toBe("text/css; charset=utf-8");
      }
    }
    expect((await fetch(`${file.stack.url}/assets/app-0000000000.js`)).status).toBe(404);
  });
});

describe("/login", () => {
  it("offers every sign-in method the stack runs around one email field, and works from the keyboard", async () => {
    const { page, errors, context } = await open("/login");
    await expect.poll(() => page.title()).toBe("Sign in · Account Test");
    const signIn = form(page, "Sign in with password");
    await signIn.waitFor();
    // One email field, labelled, shared by the password, the code and the link.
    expect(await page.locator('input[type="email"]').count()).toBe(1);
    await expect(signIn.getByLabel("Email", { exact: true }).isVisible()).resolves.toBe(true);
    for (const name of ["Sign in", "Email me a code", "Email me a sign-in link"]) {
      await expect(signIn.getByRole("button", { name, exact: true }).isVisible()).resolves.toBe(true);
    }
    await expect(page.getByRole("button", { name: "Sign in with a passkey" }).isVisible()).resolves.toBe(
      true,
    );
    await expect(page.getByRole("button", { name: "Continue as guest" }).isVisible()).resolves.toBe(true);
    await screenshot(page, "login");
    expect(await axeViolations(page)).toEqual([]);

    // Tab walks the page in reading order: fields, the main action, then the other ways in.
    const order: string[] = [];
    for (let i = 0; i < 9; i++) {
      await page.keyboard.press("Tab");
      order.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          return el?.id || el?.textContent?.trim() || "";
        }),
      );
    }
    expect(order).toEqual([
      "field-email",
      "field-password",
      "Sign in",
      "Forgot password?",
      "Create an account",
      "Email me a code",
      "Email me a sign-in link",
      "Sign in with a passkey",
      "Continue as guest",
    ]);

    // The secondary buttons need the address first, and say so out loud.
    await signIn.getByRole("button", { name: "Email me a code" }).press("Enter");
    await expect.poll(() => signIn.getByRole("alert").textContent()).toBe("Enter your email address first.");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("field-email");
    await signIn.getByLabel("Email", { exact: true }).fill("not-an-address");
    await signIn.getByRole("button", { name: "Email me a sign-in link" }).click();
    await expect.poll(() => signIn.getByRole("alert").textContent()).toBe("Enter your email address first.");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("signs up and signs in with a password, and says so when the password is wrong", async () => {
    const email = `ada-${stage}@example.com`;
    const { page, errors, context } = await open("/login");
    await signUpWithPassword(page, "Ada", email);
    await screenshot(page, "account");
    // This stack does not run twoFactor, so /account has no section for it.
    expect(await page.getByRole("region", { name: "Passkeys" }).count()).toBe(1);
    expect(await page.getByRole("region", { name: "Two-factor authentication" }).count()).toBe(0);
    await signOut(page);
    expect(await sessionOf(page)).toBeNull();

    const signIn = form(page, "Sign in with password");
    await signIn.getByLabel("Email", { exact: true }).fill(email);
    await signIn.getByLabel("Password", { exact: true }).fill("not the password");
    await signIn.getByRole("button", { name: "Sign in" }).click();
    await expect
      .poll(() => signIn.getByRole("alert").textContent())
      .toBe("That email and password do not match an account.");
    await screenshot(page, "login-error");
    expect(await axeViolations(page)).toEqual([]);

    await signIn.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await signIn.getByRole("button", { name: "Sign in" }).press("Enter");
    await page.waitForURL(`${file.stack.url}/account`);
    expect((await sessionOf(page))?.user.email).toBe(email);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says the password length rule on the sign-up form (not on sign-in), and holds back a shorter one", async () => {
    const { page, errors, context } = await open("/login");
    const signIn = form(page, "Sign in with password");
    expect(await signIn.getByLabel("Password", { exact: true }).getAttribute("aria-describedby")).toBeNull();
    await signIn.getByRole("button", { name: "Create an account" }).click();
    const signUp = form(page, "Create an account");
    const password = signUp.getByLabel("Password", { exact: true });
    const hintId = await password.getAttribute("aria-describedby");
    expect(hintId).toBeTruthy();
    expect(await page.locator(`#${hintId}`).textContent()).toBe("At least 8 characters.");
    await signUp.getByLabel("Name", { exact: true }).fill("Shorty");
    await signUp.getByLabel("Email", { exact: true }).fill(`short-${stage}@example.com`);
    await password.fill("seven77");
    await signUp.getByRole("button", { name: "Create account" }).click();
    // The browser's own check stops the form: no account, still on /login, the field marked invalid.
    expect(await password.evaluate((input: HTMLInputElement) => input.validity.tooShort)).toBe(true);
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(await sessionOf(page)).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("follows ?redirect= within the stack and refuses to send the user anywhere else", async () => {
    const { page, context } = await open("/login");
    // Signing in on a login page whose redirect points elsewhere ends on /account.
    const from = `/login?${new URLSearchParams({ redirect: "https://evil.example/steal" })}`;
    await signUpWithPassword(page, "Redirected", `redirect-${stage}@example.com`, from);
    // Signed in: the login page sends the user straight on, through the same check.
    for (const hostile of [
      "//evil.example/x",
      "/\\evil.example",
      "javascript:alert(1)",
      "https://evil.example",
    ]) {
      await page.goto(`${file.stack.url}/login?${new URLSearchParams({ redirect: hostile })}`);
      await page.waitForURL(`${file.stack.url}/account`);
    }
    await page.goto(
      `${file.stack.url}/login?${new URLSearchParams({ redirect: "/accept-invitation?id=nope" })}`,
    );
    await page.waitForURL(`${file.stack.url}/accept-invitation?id=nope`);
    await context.close();
  });

  it("signs in with an emailed code read from the local outbox", async () => {
    const email = `otp-${stage}@example.com`;
    const { page, errors, context } = await open("/login");
    const after = await lastEmailSeq(stage);
    const request = form(page, "Sign in with password");
    await request.getByLabel("Email", { exact: true }).fill(email);
    await request.getByRole("button", { name: "Email me a code" }).click();
    const code = codeIn(await waitForEmail(stage, email, { after }));
    const enter = form(page, "Enter the code from your email");
    await expect.poll(() => enter.getByRole("status").textContent()).toContain(email);
    // The code field has the focus: the code can be typed straight away.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("field-otp");
    await screenshot(page, "login-code");
    await page.keyboard.type(code === "000000" ? "111111" : "000000");
    await page.keyboard.press("Enter");
    await expect.poll(() => enter.getByRole("alert").textContent()).toContain("That code is not right");
    await enter.getByLabel("Code").fill(code);
    await enter.getByRole("button", { name: "Sign in with code" }).click();
    await page.waitForURL(`${file.stack.url}/account`);
    expect((await sessionOf(page))?.user.email).toBe(email);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("signs in with a magic link read from the local outbox, and explains a used link", async () => {
    const email = `link-${stage}@example.com`;
    const { page, errors, context } = await open("/login");
    const after = await lastEmailSeq(stage);
    const request = form(page, "Sign in with password");
    await request.getByLabel("Email", { exact: true }).fill(email);
    await request.getByRole("button", { name: "Email me a sign-in link" }).click();
    await expect
      .poll(() => request.getByRole("status").textContent())
      .toContain(`sent a sign-in link to ${email}`);
    const link = linkIn(await waitForEmail(stage, email, { after }), "/magic-link/verify");
    await page.goto(link);
    await page.waitForURL(`${file.stack.url}/account`);
    expect((await sessionOf(page))?.user.email).toBe(email);

    // The same link again, in another browser: it worked once, so now the login page says why not.
    const other = await open("/login");
    await other.page.goto(link);
    await other.page.waitForURL(/\/login\?error=/);
    await expect.poll(() => other.page.getByRole("alert").textContent()).toContain("not valid any more");
    expect(errors).toEqual([]);
    await Promise.all([context.close(), other.context.close()]);
  });
});

describe("/account", () => {
  it("upgrades a guest to a full account with the same id", async () => {
    const { page, errors, context } = await open("/login");
    await page.getByRole("button", { name: "Continue as guest" }).click();
    await page.waitForURL(`${file.stack.url}/account`);
    const guest = await sessionOf(page);
    expect(guest?.user.isAnonymous).toBe(true);
    const upgrade = form(page, "Upgrade guest account");
    await upgrade.waitFor();
    await screenshot(page, "account-guest");

    const email = `guest-${stage}@example.com`;
    await upgrade.getByLabel("Name").fill("Grace");
    await upgrade.getByLabel("Email").fill(email);
    await upgrade.getByLabel("Password").fill(PASSWORD);
    await upgrade.getByRole("button", { name: "Save account" }).click();
    await expect.poll(() => page.getByTestId("profile-email").textContent()).toContain(email);
    await expect(upgrade.count()).resolves.toBe(0);

    const upgraded = await sessionOf(page);
    expect(upgraded?.user).toMatchObject({ id: guest?.user.id, email, isAnonymous: false });
    const rows = await querySqlite<{ isAnonymous: number; email: string }>(
      db,
      `SELECT isAnonymous, email FROM user WHERE id = '${guest?.user.id}'`,
    );
    expect(rows).toEqual([{ isAnonymous: 0, email }]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("creates an API key shown once, lists it without the secret, and revokes it", async () => {
    const { page, errors, context } = await open("/login");
    await signUpWithPassword(page, "Keys", `keys-${stage}@example.com`);
    const keys = page.getByRole("list", { name: "Your API keys" });
    await expect.poll(() => page.getByText("No API keys yet.").isVisible()).toBe(true);

    const create = form(page, "Create an API key");
    await create.getByLabel("Key name").fill("nightly-cron");
    await create.getByRole("button", { name: "Create key" }).click();
    const secret = (await page.getByTestId("new-api-key").textContent()) ?? "";
    expect(secret).toMatch(/^[A-Za-z]{64}$/);
    await expect.poll(() => keys.textContent()).toContain("nightly-cron");
    expect(await keys.textContent()).not.toContain(secret);
    // The key works against the API, as the page promised.
    const me = await fetch(`${file.stack.url}/api/v1/me`, { headers: { "x-api-key": secret } });
    expect(me.status).toBe(200);
    await screenshot(page, "account-api-keys");

    await page.reload();
    await expect.poll(() => keys.textContent()).toContain("nightly-cron");
    expect(await page.getByTestId("new-api-key").count()).toBe(0);
    await keys.getByRole("button", { name: "Revoke key nightly-cron" }).click();
    await expect.poll(() => page.getByText("No API keys yet.").isVisible()).toBe(true);
    expect((await fetch(`${file.stack.url}/api/v1/me`, { headers: { "x-api-key": secret } })).status).toBe(
      401,
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it("switches the active organization", async () => {
    const { page, errors, context } = await open("/login");
    await signUpWithPassword(page, "Orgs", `orgs-${stage}@example.com`);
    await expect
      .poll(() => page.getByText("You are not a member of any organization yet.").isVisible())
      .toBe(true);
    const ids = await page.evaluate(async (suffix) => {
      const made: string[] = [];
      for (const name of ["Acme", "Globex"]) {
        const res = await fetch("/auth/v1/organization/create", {
          method: "POST",
          credentials: "include",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name, slug: `${name.toLowerCase()}-${suffix}` }),
        });
        made.push(((await res.json()) as { id: string }).id);
      }
      return made;
    }, stage);
    await page.reload();
    const switcher = form(page, "Switch organization");
    await switcher.getByLabel("Active organization").selectOption({ label: "Globex" });
    await switcher.getByRole("button", { name: "Switch" }).click();
    await expect.poll(() => page.getByTestId("active-org").textContent()).toBe("Active now: Globex");
    expect((await sessionOf(page))?.session.activeOrganizationId).toBe(ids[1]);
    await screenshot(page, "account-organization");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says what to do when there are no passkeys, API keys or organizations", async () => {
    const email = `empty-${stage}@example.com`;
    const { page, errors, context } = await open("/login");
    await signUpWithPassword(page, "Empty", email);
    for (const text of [
      "No passkeys yet — add one to sign in without a password.",
      "No API keys yet. Create one to call the API from a script or another app.",
      "You are not a member of any organization yet. Create one, or ask a colleague to invite you.",
    ]) {
      await expect.poll(() => page.getByText(text, { exact: true }).isVisible()).toBe(true);
    }
    await expect(form(page, "Create an organization").isVisible()).resolves.toBe(true);
    // At 1280px the "not verified" badge sits whole beside the address, centred on its line.
    await page.setViewportSize({ width: 1280, height: 900 });
    const badge = page.getByText("not verified", { exact: true });
    expect(await badge.evaluate((el) => el.getClientRects().length)).toBe(1);
    const [address, pill] = await Promise.all([
      page.getByTestId("profile-email").boundingBox(),
      badge.boundingBox(),
    ]);
    if (!address || !pill) throw new Error("the address or its badge is not on screen");
    expect(pill.x).toBeGreaterThan(address.x + address.width);
    expect(Math.abs(pill.y + pill.height / 2 - (address.y + address.height / 2))).toBeLessThan(3);
    await screenshot(page, "account-empty");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("never breaks the email badge across lines, even for a long address on a phone", async () => {
    const { page, errors, context } = await open("/login");
    await page.setViewportSize({ width: 360, height: 800 });
    await signUpWithPassword(page, "Long", `a-rather-long-address-for-a-phone-${stage}@example.com`);
    const badge = page.getByText("not verified", { exact: true });
    const rects = await badge.evaluate((el) => [...el.getClientRects()].map((r) => r.height));
    expect(rects).toHaveLength(1);
    expect(rects[0]).toBeLessThan(24);
    // No sideways scrolling either.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("creates an organization from the empty state, which becomes the active one", async () => {
    const { page, errors, context } = await open("/login");
    await signUpWithPassword(page, "Founder", `founder-${stage}@example.com`);
    const create = form(page, "Create an organization");
    await create.getByLabel("Organization name").fill("Ünïcode Widgets & Co");
    // The slug follows the name, in the form a link can carry.
    expect(await create.getByLabel("Slug").inputValue()).toBe("unicode-widgets-co");
    await create.getByLabel("Slug").fill(`widgets-${stage}`);
    await create.getByRole("button", { name: "Create organization" }).click();
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "Created" }).textContent())
      .toBe("Created Ünïcode Widgets & Co. It is your active organization now.");
    await expect
      .poll(() => page.getByTestId("active-org").textContent())
      .toBe("Active now: Ünïcode Widgets & Co");
    const [org] = await querySqlite<{ id: string; slug: string }>(
      db,
      `SELECT id, slug FROM organization WHERE slug = 'widgets-${stage}'`,
    );
    expect((await sessionOf(page))?.session.activeOrganizationId).toBe(org?.id);
    await screenshot(page, "account-organization-created");

    // A second one with the same slug is refused in words, and nothing is created.
    await page.getByRole("button", { name: "Create another organization" }).click();
    await create.getByLabel("Organization name").fill("Copycat");
    await create.getByLabel("Slug").fill(`widgets-${stage}`);
    await create.getByRole("button", { name: "Create organization" }).click();
    await expect
      .poll(() => create.getByRole("alert").textContent())
      .toBe("An organization already uses this slug. Choose another one.");
    const rows = await querySqlite<{ n: number }>(
      db,
      "SELECT count(*) AS n FROM organization WHERE name = 'Copycat'",
    );
    expect(rows).toEqual([{ n: 0 }]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("sends a signed-out visitor to /login, asking to come back to /account", async () => {
    const { page, context } = await open("/account");
    await page.waitForURL(`${file.stack.url}/login?redirect=%2Faccount`);
    await context.close();
  });
});

describe("/accept-invitation", () => {
  /** Invites `email` to the inviter's active organization, as an app would, from the inviter's browser. */
  function invite(page: Page, email: string) {
    return page.evaluate(async (to) => {
      const res = await fetch("/auth/v1/organization/invite-member", {
        method: "POST",
        credentials: "include",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: to, role: "member" }),
      });
      return { status: res.status, body: (await res.json()) as { id?: string } };
    }, email);
  }

  it("takes an invited person from the emailed link through sign-up to membership", async () => {
    const inviterEmail = `inviter-${stage}@example.com`;
    const inviteeEmail = `invitee-${stage}@example.com`;
    const inviter = await open("/login");
    await signUpWithPassword(inviter.page, "Ines", inviterEmail);
    const create = form(inviter.page, "Create an organization");
    await create.getByLabel("Organization name").fill("Initech");
    await create.getByLabel("Slug").fill(`initech-${stage}`);
    await create.getByRole("button", { name: "Create organization" }).click();
    await expect.poll(() => inviter.page.getByTestId("active-org").textContent()).toBe("Active now: Initech");

    const after = await lastEmailSeq(stage);
    const sent = await invite(inviter.page, inviteeEmail);
    expect(sent.status).toBe(200);
    const email = await waitForEmail(stage, inviteeEmail, { after });
    expect(email.kind).toBe("invitation");
    const link = linkIn(email, "/accept-invitation?id=");
    expect(link).toBe(`${file.stack.outputs.accountUrl}/accept-invitation?id=${sent.body.id}`);

    // Signed out: the link goes by the login page, which says why, and comes back.
    const invitee = await open("/login");
    await invitee.page.goto(link);
    await invitee.page.waitForURL((url) => url.pathname === "/login");
    expect(new URL(invitee.page.url()).searchParams.get("redirect")).toBe(link);
    await expect
      .poll(() => invitee.page.getByRole("status").first().textContent())
      .toContain("with the email address it was sent to");
    await form(invitee.page, "Sign in with password")
      .getByRole("button", { name: "Create an account" })
      .click();
    const signUp = form(invitee.page, "Create an account");
    await signUp.getByLabel("Name", { exact: true }).fill("Ivo");
    await signUp.getByLabel("Email", { exact: true }).fill(inviteeEmail);
    await signUp.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await signUp.getByRole("button", { name: "Create account" }).click();
    await invitee.page.waitForURL(link);
    await expect
      .poll(() => invitee.page.getByRole("main").locator("p").first().textContent())
      .toBe(`${inviterEmail} invited you to join Initech as member.`);
    await screenshot(invitee.page, "accept-invitation");
    expect(await axeViolations(invitee.page)).toEqual([]);

    await invitee.page.getByRole("button", { name: "Accept" }).click();
    await expect
      .poll(() => invitee.page.getByRole("status").textContent())
      .toBe("You joined Initech. Go to your account");
    const orgs = await invitee.page.evaluate(async () => {
      const res = await fetch("/auth/v1/organization/list", { credentials: "include" });
      return ((await res.json()) as { name: string }[]).map((o) => o.name);
    });
    expect(orgs).toEqual(["Initech"]);
    const members = await querySqlite<{ role: string }>(
      db,
      `SELECT m.role FROM member m JOIN user u ON u.id = m.userId WHERE u.email = '${inviteeEmail}'`,
    );
    expect(members).toEqual([{ role: "member" }]);

    // Opened again, the answered invitation is explained rather than offered twice.
    await invitee.page.reload();
    await expect
      .poll(() => invitee.page.getByRole("alert").textContent())
      .toContain(
        "This invitation cannot be found. It may have expired, been withdrawn, or been answered already.",
      );
    expect(inviter.errors).toEqual([]);
    expect(invitee.errors).toEqual([]);
    await Promise.all([inviter.context.close(), invitee.context.close()]);
  });

  it("explains a wrong invitation id, and an invitation meant for another address", async () => {
    const { page, errors, context } = await open("/login");
    await signUpWithPassword(page, "Olga", `olga-${stage}@example.com`);
    await page.goto(`${file.stack.url}/accept-invitation?id=no-such-invitation`);
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toBe(
        "This invitation cannot be found. It may have expired, been withdrawn, or been answered already. Ask the person who invited you to send a new one.",
      );
    await expect(page.getByRole("button", { name: "Accept" }).count()).resolves.toBe(0);
    await screenshot(page, "accept-invitation-not-found");
    expect(await axeViolations(page)).toEqual([]);

    // An invitation for someone else, opened while signed in as Olga (her own org invites a colleague).
    const create = await (async () => {
      await page.goto(`${file.stack.url}/account`);
      return form(page, "Create an organization");
    })();
    await create.getByLabel("Organization name").fill("Olga's Org");
    await create.getByLabel("Slug").fill(`olga-${stage}`);
    await create.getByRole("button", { name: "Create organization" }).click();
    await expect.poll(() => page.getByTestId("active-org").textContent()).toBe("Active now: Olga's Org");
    const sent = await invite(page, `colleague-${stage}@example.com`);
    expect(sent.status).toBe(200);
    await page.goto(`${file.stack.url}/accept-invitation?id=${sent.body.id}`);
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toContain(`sent to another email address, and you are signed in as olga-${stage}@example.com`);
    await page.getByRole("button", { name: "Sign in with another account" }).click();
    await page.waitForURL((url) => url.pathname === "/login");
    expect(new URL(page.url()).searchParams.get("redirect")).toBe(
      `${file.stack.url}/accept-invitation?id=${sent.body.id}`,
    );
    expect(await sessionOf(page)).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe("passkeys in Chromium (CDP virtual authenticator)", () => {
  it("registers a passkey on /account, signs in with it on /login, and deletes it", async () => {
    const email = `passkey-${stage}@example.com`;
    const { page, errors, context } = await open("/login");
    await addVirtualAuthenticator(page);
    await signUpWithPassword(page, "Passkey User", email);
    const passkeys = page.getByRole("list", { name: "Your passkeys" });
    await expect
      .poll(() => page.getByText("No passkeys yet — add one to sign in without a password.").isVisible())
      .toBe(true);
    const add = form(page, "Add a passkey");
    await add.getByLabel("Passkey name (optional)").fill("Laptop");
    await add.getByRole("button", { name: "Add a passkey" }).click();
    await expect.poll(() => add.getByRole("status").textContent()).toBe("Passkey added.");
    await expect.poll(() => passkeys.textContent()).toContain("Laptop");
    const [row] = await querySqlite<{ name: string; userId: string }>(
      db,
      `SELECT p.name, p.userId FROM passkey p JOIN user u ON u.id = p.userId WHERE u.email = '${email}'`,
    );
    expect(row?.name).toBe("Laptop");
    await screenshot(page, "account-passkeys");

    await signOut(page);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(`${file.stack.url}/account`);
    expect((await sessionOf(page))?.user.email).toBe(email);

    await passkeys.getByRole("button", { name: "Delete passkey Laptop" }).click();
    await expect
      .poll(() => page.getByText("No passkeys yet — add one to sign in without a password.").isVisible())
      .toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a clear message when the authenticator cannot verify the user", async () => {
    const email = `no-uv-${stage}@example.com`;
    const { page, errors, context } = await open("/login");
    const authenticator = await addVirtualAuthenticator(page);
    await signUpWithPassword(page, "No UV", email);
    const add = form(page, "Add a passkey");
    await add.getByRole("button", { name: "Add a passkey" }).click();
    await expect.poll(() => add.getByRole("status").textContent()).toBe("Passkey added.");
    await signOut(page);

    // The fingerprint or PIN check fails from now on.
    await authenticator.setUserVerified(false);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.textContent()).toContain("could not verify it is you");
    expect(page.url()).toBe(`${file.stack.url}/login`);
    expect(await sessionOf(page)).toBeNull();
    await screenshot(page, "login-passkey-failed");
    expect(errors).toEqual([]);
    await context.close();
  });
});
