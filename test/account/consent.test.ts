/**
 * A full OAuth consent through the Account SPA in Chromium: a third-party client (oauth4webapi)
 * starts an authorization, the browser lands on /login, then /consent, the user allows and the
 * client gets its tokens; a second run where the user denies gets `access_denied`; a third signs in
 * with a code emailed to the user (read from the local outbox) and still reaches consent and tokens.
 */
import * as oauth from "oauth4webapi";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe.ts";
import { freshPage, screenshot } from "../support/browser.ts";
import { startClientMetadataServer } from "../support/client-metadata-server.ts";
import { Session } from "../support/http.ts";
import {
  authorizationRequest as buildAuthorizationRequest,
  discoverIssuer,
} from "../support/oauth-browser.ts";
import { codeIn, lastEmailSeq, waitForEmail } from "../support/outbox.ts";
import { stackAndBrowserPerFile } from "../support/stack-and-browser-per-file.ts";

const file = stackAndBrowserPerFile("consent", "test/fixtures/account-oauth.config.ts");
const { stage } = file;
const CLIENT_ORIGIN = "https://client.example.com";
const REDIRECT_URI = `${CLIENT_ORIGIN}/callback`;
const SCOPE = "openid profile email offline_access";
const user = { name: "Ada", email: "ada@example.com", password: "correct horse battery" };
/** A 1×1 PNG for the client's logo. */
const LOGO = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkqPhfDwAEeQHhpGWbUQAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);
const insecure = { [oauth.allowInsecureRequests]: true } as const;

let as: oauth.AuthorizationServer;
let client: oauth.Client;
let userId: string;
let page: Page;
let errors: string[];
/** Where the browser was sent back to the client (the client's site is played by request interception). */
let callbacks: string[] = [];

beforeAll(async () => {
  const account = new Session(file.stack.url);
  const res = await account.post("/auth/v1/sign-up/email", user);
  expect(res.status).toBe(200);
  userId = ((await res.json()) as { user: { id: string } }).user.id;
  as = await discoverIssuer(file.stack.url);
  client = await oauth.processDynamicClientRegistrationResponse(
    await oauth.dynamicClientRegistrationRequest(
      as,
      {
        client_name: "Example CRM",
        logo_uri: `${CLIENT_ORIGIN}/logo.png`,
        redirect_uris: [REDIRECT_URI],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
      insecure,
    ),
  );

  ({ page, errors } = await browserWithClient());
});

/** A fresh browser profile in which the client's site (its logo and callback) is played by request interception. */
async function browserWithClient() {
  const fresh = await freshPage(file.browser);
  await fresh.context.route(`${CLIENT_ORIGIN}/**`, (route) => {
    const url = route.request().url();
    if (url.startsWith(`${CLIENT_ORIGIN}/logo.png`)) {
      return route.fulfill({ contentType: "image/png", body: Buffer.from(LOGO) });
    }
    callbacks.push(url);
    return route.fulfill({ contentType: "text/html", body: "<h1>Example CRM</h1>" });
  });
  return fresh;
}

const authorizationRequest = (extra: Record<string, string> = {}) =>
  buildAuthorizationRequest(
    as,
    { clientId: client.client_id, redirectUri: REDIRECT_URI, scope: SCOPE, resource: file.stack.url },
    extra,
  );

/** The consent screen as the user sees it. */
async function expectConsentScreen(page: Page) {
  await page.waitForURL((url) => url.pathname === "/consent");
  const consent = new URL(page.url());
  expect(consent.origin).toBe(file.stack.outputs.accountUrl);
  expect(consent.searchParams.get("client_id")).toBe(client.client_id);
  await expect
    .poll(() => page.getByRole("heading", { level: 1 }).textContent())
    .toBe("Example CRM wants to access your account");
  const scopes = await page.getByRole("listitem").allTextContents();
  expect(scopes).toEqual([
    "Confirm that it is you",
    "See your name and profile picture",
    "See your email address",
    "Stay connected when you are not using it",
  ]);
  expect(await page.locator("img.logo").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
}

async function waitForCallback(page: Page): Promise<URL> {
  // The browser arrives on the client's page (so no navigation is still under way afterwards).
  await page.waitForURL((url) => url.origin === CLIENT_ORIGIN);
  await expect.poll(() => callbacks.length).toBe(1);
  const url = new URL(callbacks[0] as string);
  callbacks = [];
  return url;
}

/** The client's side of the callback: validate it and trade the code for tokens. */
async function exchange(callback: URL, request: Awaited<ReturnType<typeof authorizationRequest>>) {
  const params = oauth.validateAuthResponse(as, client, callback, request.state);
  return oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(client.client_secret as string),
      params,
      REDIRECT_URI,
      request.verifier,
      { ...insecure, additionalParameters: { resource: file.stack.url } },
    ),
    { expectedNonce: request.nonce },
  );
}

describe("OAuth consent in the Account SPA", () => {
  it("signs in on /login, allows on /consent, and the client gets its tokens", async () => {
    const request = await authorizationRequest();
    await page.goto(request.url.href);
    await page.waitForURL((url) => url.pathname === "/login");
    // This stack runs password and emailed-code sign-in only: the login page offers nothing else.
    await expect(page.getByRole("form", { name: "Sign in with password" }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole("button", { name: "Email me a code" }).isVisible()).resolves.toBe(true);
    for (const other of ["Email me a sign-in link", "Sign in with a passkey", "Continue as guest"]) {
      expect(await page.getByRole("button", { name: other }).count()).toBe(0);
    }
    await screenshot(page, "login-oauth");
    expect(await axeViolations(page)).toEqual([]);

    const signIn = page.getByRole("form", { name: "Sign in with password" });
    await signIn.getByLabel("Email", { exact: true }).fill(user.email);
    await signIn.getByLabel("Password", { exact: true }).fill(user.password);
    await signIn.getByRole("button", { name: "Sign in" }).click();
    await expectConsentScreen(page);
    await screenshot(page, "consent");
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Allow" }).click();
    const callback = await waitForCallback(page);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    const tokens = await exchange(callback, request);
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeTruthy();
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe(userId);
    expect(errors).toEqual([]);
  });

  it("denies on /consent, and the client gets access_denied", async () => {
    // Signed in already; prompt=consent asks again although the user allowed before.
    const request = await authorizationRequest({ prompt: "consent" });
    await page.goto(request.url.href);
    await expectConsentScreen(page);
    await page.getByRole("button", { name: "Deny" }).click();
    const callback = await waitForCallback(page);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("code")).toBeNull();
    let refused: unknown;
    try {
      oauth.validateAuthResponse(as, client, callback, request.state);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(oauth.AuthorizationResponseError);
    expect((refused as oauth.AuthorizationResponseError).error).toBe("access_denied");
    expect(errors).toEqual([]);
  });

  it("signs in with an emailed code on /login, allows on /consent, and the client gets its tokens", async () => {
    // Someone new, in a browser of their own: the emailed code creates the account as it signs in.
    const email = "grace@example.com";
    const other = await browserWithClient();
    const request = await authorizationRequest();
    await other.page.goto(request.url.href);
    await other.page.waitForURL((url) => url.pathname === "/login");
    const after = await lastEmailSeq(stage);
    const signIn = other.page.getByRole("form", { name: "Sign in with password" });
    await signIn.getByLabel("Email", { exact: true }).fill(email);
    await signIn.getByRole("button", { name: "Email me a code" }).click();
    const code = codeIn(await waitForEmail(stage, email, { after }));
    const enter = other.page.getByRole("form", { name: "Enter the code from your email" });
    await enter.getByLabel("Code").fill(code);
    await enter.getByRole("button", { name: "Sign in with code" }).click();
    await expectConsentScreen(other.page);

    await other.page.getByRole("button", { name: "Allow" }).click();
    const callback = await waitForCallback(other.page);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    const tokens = await exchange(callback, request);
    expect(tokens.access_token).toBeTruthy();
    // The browser profile's own session (its cookies), read from the stack.
    const res = await other.context.request.get(`${file.stack.url}/auth/v1/get-session`);
    const me = ((await res.json()) as { user: { id: string; email: string } }).user;
    expect(me.email).toBe(email);
    // The tokens are the new user's, not Ada's from the first run.
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe(me.id);
    expect(me.id).not.toBe(userId);
    expect(other.errors).toEqual([]);
    await other.context.close();
  });

  it("names a client ID metadata document client by its document's name and the host it came from", async () => {
    const docs = await startClientMetadataServer();
    try {
      const clientId = docs.serve("/agent.json", (url) => ({
        client_id: url,
        client_name: "Desk Agent",
        redirect_uris: [REDIRECT_URI],
        token_endpoint_auth_method: "none",
      }));
      // Signed in already (the first test), so authorize goes straight to consent.
      const request = await buildAuthorizationRequest(as, {
        clientId,
        redirectUri: REDIRECT_URI,
        scope: SCOPE,
        resource: file.stack.url,
      });
      await page.goto(request.url.href);
      await page.waitForURL((url) => url.pathname === "/consent");
      await expect
        .poll(() => page.getByRole("heading", { level: 1 }).textContent())
        .toBe("Desk Agent wants to access your account");
      expect(await page.locator(".client-host").textContent()).toBe(`from ${new URL(docs.origin).host}`);
      await screenshot(page, "consent-cimd");
      await page.getByRole("button", { name: "Allow" }).click();
      const callback = await waitForCallback(page);
      expect(callback.searchParams.get("code")).toBeTruthy();
      expect(errors).toEqual([]);
    } finally {
      await docs.close();
    }
  });

  it("explains a consent page opened without an authorization request", async () => {
    await page.goto(`${file.stack.url}/consent`);
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("Start again from that app");
    expect(await axeViolations(page)).toEqual([]);
  });
});
