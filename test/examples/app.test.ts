/**
 * examples/app as a person uses it, in Chromium: the app on its own origin (Vite, with its backend)
 * and the stack on another. It signs up and in with the typed client (password, then passkey), shows
 * the user from /api/v1/me, calls its own backend with a JWKS-verified token, and signs out — with
 * CORS and cookies as the README says: the stack grants the app's origin with credentials, no other.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { createServer, type ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addVirtualAuthenticator, freshPage, launchBrowser, screenshot } from "../support/browser.ts";
import { freePort, ROOT, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("example-app");
let args: string[];
let stack: RunningStack;
let app: ViteDevServer;
let appOrigin: string;
let browser: Browser;

/**
 * The example's own config, trusting the port this run's app got instead of Vite's usual 5173 (which
 * a developer's own dev server may hold): the same file a user runs, imported and changed in one field.
 */
async function configFor(origin: string): Promise<string> {
  const dir = path.join(ROOT, ".authform", "example-tests");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, "example-app.config.ts");
  await writeFile(
    file,
    `import base from "../../examples/app/quickback.config.ts";
import { defineRuntime } from "../../src/index.ts";
export default {
  ...base,
  providers: { ...base.providers, runtime: defineRuntime("cloudflare", { trustedOrigins: [${JSON.stringify(origin)}] }) },
};
`,
  );
  return path.relative(ROOT, file);
}

beforeAll(async () => {
  const appPort = await freePort();
  appOrigin = `http://localhost:${appPort}`;
  args = ["--config", await configFor(appOrigin)];
  [stack, browser] = await Promise.all([startStack(stage, { args }), launchBrowser()]);
  // The example's vite.config.ts reads the stack's URL from the environment, as its README says.
  process.env.AUTHFORM_URL = stack.url;
  app = await createServer({
    configFile: path.join(ROOT, "examples", "app", "vite.config.ts"),
    server: { port: appPort },
    logLevel: "warn",
  });
  await app.listen();
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
  await stack?.stop();
});

const status = (page: Page) => page.getByRole("status");
/** A loaded machine (two cores, a stack, Chromium and Vite) can take seconds for a step: poll, don't sleep. */
const WAIT = { timeout: 15_000 };

async function signUp(page: Page, email: string): Promise<void> {
  await page.goto(appOrigin);
  await expect.poll(() => status(page).textContent(), WAIT).toBe("Signed out.");
  await page.getByLabel("Name (to create an account)").fill("Ada");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByRole("button", { name: "Create an account" }).click();
  await expect.poll(() => status(page).textContent(), WAIT).toBe("Signed in.");
}

describe("the example app on its own origin", () => {
  it("runs on another origin of the same site as the stack", () => {
    expect(new URL(appOrigin).origin).not.toBe(new URL(stack.url).origin);
    expect(new URL(appOrigin).hostname).toBe(new URL(stack.url).hostname);
  });

  it("signs up with a password, shows the user from /api/v1/me, and its backend accepts the stack's token", async () => {
    const { page, errors, context } = await freshPage(browser);
    const email = `app-${Date.now()}@example.com`;
    await signUp(page, email);
    await expect.poll(() => page.locator("#who").textContent(), WAIT).toBe(email);
    const userId = (await page.locator("#user-id").textContent()) ?? "";
    expect(userId).not.toBe("");

    await page.getByRole("button", { name: "Call my backend" }).click();
    await expect.poll(() => page.locator("#backend-answer").textContent(), WAIT).toContain(userId);
    expect(JSON.parse((await page.locator("#backend-answer").textContent()) ?? "{}")).toEqual({
      hello: userId,
      email,
    });
    await screenshot(page, "example-app-signed-in");

    // The session cookie belongs to the stack's origin; the app's page never holds it.
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name.endsWith("session_token"))).toMatchObject({
      httpOnly: true,
      sameSite: "Lax",
    });
    expect(await page.evaluate(() => document.cookie)).not.toContain("session_token");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("adds a passkey, signs out, and signs back in with the passkey alone", async () => {
    const { page, errors, context } = await freshPage(browser);
    await addVirtualAuthenticator(page);
    const email = `passkey-${Date.now()}@example.com`;
    await signUp(page, email);
    const userId = await page.locator("#user-id").textContent();

    await page.getByRole("button", { name: "Add a passkey" }).click();
    await expect.poll(() => status(page).textContent(), WAIT).toBe("Passkey added.");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect.poll(() => status(page).textContent(), WAIT).toBe("Signed out.");
    await page.reload();
    await expect.poll(() => status(page).textContent(), WAIT).toBe("Signed out.");

    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect.poll(() => status(page).textContent(), WAIT).toBe("Signed in.");
    expect(await page.locator("#user-id").textContent()).toBe(userId);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("signs in with a password again after signing out, and a wrong password is said in words", async () => {
    const { page, context } = await freshPage(browser);
    const email = `again-${Date.now()}@example.com`;
    await signUp(page, email);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect.poll(() => status(page).textContent(), WAIT).toBe("Signed out.");

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("not the password at all");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect.poll(() => status(page).textContent(), WAIT).toBe("Invalid email or password");

    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect.poll(() => status(page).textContent(), WAIT).toBe("Signed in.");
    expect(await page.locator("#who").textContent()).toBe(email);
    await context.close();
  });
});

describe("the app's backend trusts only the stack's signed tokens", () => {
  const hello = (authorization?: string) =>
    fetch(`${appOrigin}/api/hello`, { headers: authorization ? { authorization } : {} });

  it("refuses a call with no token, a made-up token, and a token in the wrong form", async () => {
    const cases: [string | undefined, number, string][] = [
      [undefined, 401, "missing_token"],
      ["Bearer not.a.jwt", 401, "invalid_token"],
      // Not a Bearer credential at all: a malformed request (RFC 6750 §3.1), as the kit answers it.
      ["Basic dXNlcjpwYXNz", 400, "invalid_request"],
    ];
    for (const [authorization, status, error] of cases) {
      const res = await hello(authorization);
      expect(res.status, authorization).toBe(status);
      expect(res.headers.get("www-authenticate")).toBe(`Bearer error="${error}"`);
    }
  });

  it("refuses the stack's fast-path token: it is for the stack's own /api/v1, not other services", async () => {
    const res = await fetch(`${stack.url}/auth/v1/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: stack.url },
      body: JSON.stringify({
        email: `fast-${Date.now()}@example.com`,
        password: "correct horse battery staple",
        name: "F",
      }),
    });
    const fastPath = res.headers.get("set-auth-token");
    expect(fastPath).toBeTruthy();
    expect((await hello(`Bearer ${fastPath}`)).status).toBe(401);
  });
});

describe("CORS between the app and the stack", () => {
  const preflight = (origin: string) =>
    fetch(`${stack.url}/api/v1/me`, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    });

  it("grants the app's origin with credentials", async () => {
    const res = await preflight(appOrigin);
    expect(res.headers.get("access-control-allow-origin")).toBe(appOrigin);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
  });

  it("grants another port of the same host nothing", async () => {
    const other = `http://localhost:${(await freePort()) + 1}`;
    const res = await preflight(other);
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});
