/**
 * OAuth consent in Chromium for a person who signs in with Google: a third-party client (oauth4webapi)
 * starts an authorization, the browser lands on /login, "Continue with Google" goes through the
 * provider stand-in and comes back to the authorization request, /consent asks, the person allows,
 * and the client's tokens name that person.
 */
import * as oauth from "oauth4webapi";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshPage, launchBrowser, screenshot } from "../support/browser.ts";
import { authorizationRequest, discoverIssuer, registerClient } from "../support/oauth-browser.ts";
import { type SocialStack, startSocialStack } from "../support/social-stack.ts";
import { uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("social-consent");
const CLIENT_ORIGIN = "https://client.example.com";
const REDIRECT_URI = `${CLIENT_ORIGIN}/callback`;
const insecure = { [oauth.allowInsecureRequests]: true } as const;
let social: SocialStack;
let browser: Browser;

beforeAll(async () => {
  [social, browser] = await Promise.all([
    startSocialStack(
      stage,
      [{ sub: "5001", email: "lena@gmail.test", email_verified: true, name: "Lena" }],
      "test/fixtures/social-linking.config.ts",
    ),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await social?.stop();
});

describe("consent after Continue with Google", () => {
  it("signs in at Google, consents on /consent, and the client's tokens name the Google user", async () => {
    const { url } = social.stack;
    const as = await discoverIssuer(url);
    const rp = await registerClient(
      as,
      { client_name: "Example CRM", redirect_uris: [REDIRECT_URI] },
      "198.51.100.9",
    );
    const request = await authorizationRequest(as, {
      clientId: rp.client.client_id,
      redirectUri: REDIRECT_URI,
      scope: "openid profile email offline_access",
      resource: url,
    });

    const { page, context, errors } = await freshPage(browser);
    // The client's site, played by request interception: where the browser is sent back to.
    const callbacks: string[] = [];
    await context.route(`${CLIENT_ORIGIN}/**`, (route) => {
      callbacks.push(route.request().url());
      return route.fulfill({ contentType: "text/html", body: "<h1>Example CRM</h1>" });
    });
    await page.goto(request.url.href);
    await page.waitForURL((u) => u.pathname === "/login");
    await page.getByRole("button", { name: "Continue with Google" }).click();
    await page.getByRole("button", { name: "Sign in as lena@gmail.test" }).click();
    await page.waitForURL((u) => u.pathname === "/consent");
    await page.getByText("Example CRM").first().waitFor();
    await screenshot(page, "consent-after-google");
    await page.getByRole("button", { name: "Allow" }).click();
    await page.waitForURL((u) => u.href.startsWith(REDIRECT_URI));

    const callback = new URL(callbacks.at(-1) as string);
    const params = oauth.validateAuthResponse(as, rp.client, callback, request.state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      rp.client,
      await oauth.authorizationCodeGrantRequest(
        as,
        rp.client,
        rp.clientAuth,
        params,
        REDIRECT_URI,
        request.verifier,
        { ...insecure, additionalParameters: { resource: url } },
      ),
      { expectedNonce: request.nonce },
    );
    const sub = oauth.getValidatedIdTokenClaims(tokens)?.sub as string;
    const info = await oauth.processUserInfoResponse(
      as,
      rp.client,
      sub,
      await oauth.userInfoRequest(as, rp.client, tokens.access_token, insecure),
    );
    expect(info).toMatchObject({ email: "lena@gmail.test", email_verified: true, name: "Lena" });
    expect(errors).toEqual([]);
  });
});
