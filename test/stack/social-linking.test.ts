/**
 * Linking a second provider to a signed-in account, unlinking one, and the rule that keeps a way to
 * sign in (worker/auth/unlink-guard.ts), on workerd against the loopback Google and GitHub
 * stand-ins. Then the OAuth provider's consent flow and the MCP SDK's flow for a user who signed in
 * with Google. Every refusal is checked for what it leaves behind.
 */
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { createRemoteJWKSet, jwtVerify } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GitHubUser } from "../support/github-stand-in.ts";
import { MemoryClientProvider } from "../support/mcp-client-provider.ts";
import { authorizationRequest, discoverIssuer, nextUrl, registerClient } from "../support/oauth-browser.ts";
import { codeIn, lastEmailSeq, waitForEmail } from "../support/outbox.ts";
import { SocialBrowser } from "../support/social-browser.ts";
import { type SocialStack, startSocialStack } from "../support/social-stack.ts";
import { loginAs } from "../support/social-users.ts";
import { freePort, type RunningStack, uniqueStage } from "../support/stack.ts";
import { SoftAuthenticator } from "../support/webauthn-authenticator.ts";

const stage = uniqueStage("social-link");
let social: SocialStack;
let stack: RunningStack;

beforeAll(async () => {
  social = await startSocialStack(
    stage,
    [
      { sub: "3001", email: "carol@gmail.test", email_verified: true, name: "Carol" },
      { sub: "3002", email: "uma@example.org", email_verified: true, name: "Uma" },
      { sub: "3003", email: "dora@gmail.test", email_verified: true, name: "Dora" },
      { sub: "3004", email: "mike@gmail.test", email_verified: true, name: "Mike" },
      { sub: "3005", email: "dave@gmail.test", email_verified: true, name: "Dave" },
    ],
    "test/fixtures/social-linking.config.ts",
  );
  stack = social.stack;
});

afterAll(async () => {
  await social?.stop();
});

const githubUser = (id: number, login: string, email: string, verified = true): GitHubUser => ({
  id,
  login,
  name: login,
  email: null,
  emails: [{ email, primary: true, verified }],
});

async function signInWithGoogle(sub: string): Promise<SocialBrowser> {
  const browser = new SocialBrowser(stack.url);
  const { landed } = await browser.follow(await browser.start("google"), loginAs(sub));
  expect(landed.pathname).toBe("/account");
  return browser;
}

async function signInWithGitHub(user: GitHubUser): Promise<SocialBrowser> {
  social.github.signInAs(user);
  const browser = new SocialBrowser(stack.url);
  const { landed } = await browser.follow(await browser.start("github"));
  expect(landed.pathname).toBe("/account");
  return browser;
}

/** What /account does: POST /link-social, then the provider round trip; where the browser lands. */
async function link(browser: SocialBrowser, provider: string, rewrite?: (next: URL) => URL): Promise<URL> {
  const res = await browser.send(`${stack.url}/auth/v1/link-social`, {
    method: "POST",
    json: { provider, callbackURL: "/account?linked=1", errorCallbackURL: "/account" },
  });
  const body = (await res.json()) as { url?: string };
  expect(res.status, JSON.stringify(body)).toBe(200);
  return (await browser.follow(body.url as string, rewrite)).landed;
}

interface LinkedAccount {
  id: string;
  providerId: string;
  accountId: string;
}

async function accounts(browser: SocialBrowser): Promise<LinkedAccount[]> {
  const res = await browser.send(`${stack.url}/auth/v1/list-accounts`);
  expect(res.status).toBe(200);
  return ((await res.json()) as LinkedAccount[]).sort((a, b) => a.providerId.localeCompare(b.providerId));
}

const providersOf = async (browser: SocialBrowser) => (await accounts(browser)).map((a) => a.providerId);

async function unlink(browser: SocialBrowser, providerId: string) {
  const account = (await accounts(browser)).find((a) => a.providerId === providerId);
  expect(account, `no ${providerId} account`).toBeDefined();
  const res = await browser.send(`${stack.url}/auth/v1/unlink-account`, {
    method: "POST",
    json: { accountId: account?.id },
  });
  return { status: res.status, body: (await res.json()) as { code?: string; message?: string } };
}

/** The user's own audit events once all of `types` are in (they are written after the response). */
async function auditUntil(browser: SocialBrowser, types: string[]) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await browser.send(`${stack.url}/api/v1/audit`);
    expect(res.status).toBe(200);
    const { events } = (await res.json()) as { events: { type: string; detail: unknown }[] };
    if (types.every((t) => events.some((e) => e.type === t)))
      return events.map(({ type, detail }) => ({ type, detail }));
    if (Date.now() > deadline) throw new Error(`audit has only ${events.map((e) => e.type).join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function expectRefused(browser: SocialBrowser, providerId: string) {
  const before = await providersOf(browser);
  const { status, body } = await unlink(browser, providerId);
  expect(status).toBe(400);
  expect(body.code).toBe("LAST_WAY_TO_SIGN_IN");
  expect(body.message).toMatch(/last way to sign in/);
  expect(await providersOf(browser)).toEqual(before);
}

describe("linking from a signed-in account", () => {
  let carol: SocialBrowser;

  beforeAll(async () => {
    carol = await signInWithGoogle("3001");
  });

  it("links GitHub to a Google user and lands back on /account", async () => {
    social.github.signInAs(githubUser(701, "carol", "carol@gmail.test"));
    const landed = await link(carol, "github");
    expect(landed.pathname + landed.search).toBe("/account?linked=1");
    expect(await providersOf(carol)).toEqual(["github", "google"]);
    // GitHub now signs Carol in, into the same user.
    const viaGitHub = await signInWithGitHub(githubUser(701, "carol", "carol@gmail.test"));
    expect((await viaGitHub.sessionUser())?.id).toBe((await carol.sessionUser())?.id);
  });

  it("refuses a provider that does not vouch for the address: back on /account with an error, nothing linked", async () => {
    const dave = await signInWithGoogle("3005");
    social.github.signInAs(githubUser(702, "not-dave", "dave@gmail.test", false));
    const landed = await link(dave, "github");
    expect(landed.pathname).toBe("/account");
    expect(landed.searchParams.get("error")).toBe("unable_to_link_account");
    expect(await providersOf(dave)).toEqual(["google"]);
  });

  it("refuses a provider account that is linked to another user: no takeover", async () => {
    const dave = await signInWithGoogle("3005");
    // Carol's GitHub account (701), now claiming Dave's verified address.
    social.github.signInAs(githubUser(701, "carol", "dave@gmail.test"));
    const landed = await link(dave, "github");
    expect(landed.pathname).toBe("/account");
    expect(landed.searchParams.get("error")).toBe("account_already_linked_to_different_user");
    expect(await providersOf(dave)).toEqual(["google"]);
    expect(await providersOf(carol)).toEqual(["github", "google"]);
  });

  it("unlinks GitHub while Google remains", async () => {
    expect((await unlink(carol, "github")).status).toBe(200);
    expect(await providersOf(carol)).toEqual(["google"]);
  });

  it("the audit log has the link and the unlink, each naming the provider", async () => {
    const events = await auditUntil(carol, ["account.link", "account.unlink"]);
    expect(events.filter((e) => e.type.startsWith("account."))).toEqual([
      { type: "account.unlink", detail: { provider: "github" } },
      { type: "account.link", detail: { provider: "github" } },
    ]);
  });

  it("refuses unlinking an account that is not the caller's", async () => {
    const dave = await signInWithGoogle("3005");
    const [carolsGoogle] = await accounts(carol);
    const res = await dave.send(`${stack.url}/auth/v1/unlink-account`, {
      method: "POST",
      json: { accountId: carolsGoogle?.id },
    });
    expect(res.status).toBe(400);
    expect(await providersOf(carol)).toEqual(["google"]);
  });
});

describe("unlink keeps a way to sign in", () => {
  it("an unverified address with GitHub alone: refused; with Google linked, either may go until one is left", async () => {
    // GitHub does not vouch for Uma's address: the email code does not count as a way in for her.
    const uma = await signInWithGitHub(githubUser(801, "uma", "uma@example.org", false));
    expect((await uma.sessionUser())?.emailVerified).toBe(false);
    await expectRefused(uma, "github");

    const landed = await link(uma, "google", loginAs("3002"));
    expect(landed.searchParams.get("error")).toBeNull();
    expect(await providersOf(uma)).toEqual(["github", "google"]);
    // Another social account of a provider this stack signs in with is a way in.
    expect((await unlink(uma, "github")).status).toBe(200);
    await expectRefused(uma, "google");

    // A password is a way in: with one set, Google may go, and the password alone is then the last.
    const set = await uma.send(`${stack.url}/auth/v1/set-password`, {
      method: "POST",
      json: { newPassword: "correct horse battery" },
    });
    expect(set.status).toBe(200);
    expect((await unlink(uma, "google")).status).toBe(200);
    expect(await providersOf(uma)).toEqual(["credential"]);
    await expectRefused(uma, "credential");
    const again = new SocialBrowser(stack.url);
    const signIn = await again.send(`${stack.url}/auth/v1/sign-in/email`, {
      method: "POST",
      json: { email: "uma@example.org", password: "correct horse battery" },
    });
    expect(signIn.status).toBe(200);
  });

  it("a passkey is a way in: the only social account of an unverified address may go", async () => {
    const pat = await signInWithGitHub(githubUser(802, "pat", "pat@example.org", false));
    await expectRefused(pat, "github");
    const options = await pat.send(`${stack.url}/auth/v1/passkey/register/options`, { method: "POST" });
    expect(options.status).toBe(200);
    const authenticator = await SoftAuthenticator.create();
    const credential = await authenticator.register(await options.json(), stack.url);
    const verified = await pat.send(`${stack.url}/auth/v1/passkey/register/verify`, {
      method: "POST",
      json: credential,
    });
    expect(verified.status).toBe(200);
    expect((await unlink(pat, "github")).status).toBe(200);
    expect(await providersOf(pat)).toEqual([]);
  });

  it("sign-in by email code is a way in for a verified address: the only social account may go, and the code signs in", async () => {
    const vic = await signInWithGitHub(githubUser(803, "vic", "vic@example.org"));
    const id = (await vic.sessionUser())?.id;
    expect((await unlink(vic, "github")).status).toBe(200);
    expect(await providersOf(vic)).toEqual([]);

    const after = await lastEmailSeq(stage);
    const browser = new SocialBrowser(stack.url);
    const sent = await browser.send(`${stack.url}/auth/v1/email-otp/send-verification-otp`, {
      method: "POST",
      json: { email: "vic@example.org", type: "sign-in" },
    });
    expect(sent.status).toBe(200);
    const code = codeIn(await waitForEmail(stage, "vic@example.org", { after }));
    const signIn = await browser.send(`${stack.url}/auth/v1/sign-in/email-otp`, {
      method: "POST",
      json: { email: "vic@example.org", otp: code },
    });
    expect(signIn.status).toBe(200);
    expect((await browser.sessionUser())?.id).toBe(id);
  });
});

describe("the OAuth provider for a user who signed in with Google", () => {
  /**
   * From an authorization URL to the consent page, as the Account SPA goes: authorize sends the
   * browser to /login with `redirect` (the authorization request to resume), "Continue with Google"
   * makes that the callback URL, and the provider round trip ends back at authorize, then /consent.
   */
  async function toConsentThroughGoogle(browser: SocialBrowser, authorizationUrl: string, sub: string) {
    const login = new URL(await nextUrl(await browser.send(authorizationUrl)));
    expect(login.pathname).toBe("/login");
    const resume = login.searchParams.get("redirect");
    expect(resume?.startsWith(`${stack.url}/auth/v1/oauth2/authorize?`)).toBe(true);
    const started = await browser.send(`${stack.url}/auth/v1/sign-in/social`, {
      method: "POST",
      json: { provider: "google", callbackURL: resume, errorCallbackURL: "/login" },
    });
    const { url } = (await started.json()) as { url: string };
    const { landed } = await browser.follow(url, loginAs(sub));
    expect(landed.pathname).toBe("/consent");
    return landed;
  }

  async function consent(browser: SocialBrowser, consentPage: URL): Promise<URL> {
    const res = await browser.send(`${stack.url}/auth/v1/oauth2/consent`, {
      method: "POST",
      json: { accept: true, oauth_query: consentPage.searchParams.get("oauth_query") },
    });
    return new URL(await nextUrl(res));
  }

  it("consents and gets tokens naming the Google user (oauth4webapi, authorization code + PKCE)", async () => {
    const insecure = { [oauth.allowInsecureRequests]: true } as const;
    const as = await discoverIssuer(stack.url);
    const redirectUri = "https://client.example.com/callback";
    const rp = await registerClient(
      as,
      { client_name: "Dora's app", redirect_uris: [redirectUri] },
      "198.51.100.7",
    );
    const request = await authorizationRequest(as, {
      clientId: rp.client.client_id,
      redirectUri,
      scope: "openid profile email offline_access",
      resource: stack.url,
    });
    const browser = new SocialBrowser(stack.url);
    const consentPage = await toConsentThroughGoogle(browser, request.url.href, "3003");
    const callback = await consent(browser, consentPage);
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    const params = oauth.validateAuthResponse(as, rp.client, callback, request.state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      rp.client,
      await oauth.authorizationCodeGrantRequest(
        as,
        rp.client,
        rp.clientAuth,
        params,
        redirectUri,
        request.verifier,
        {
          ...insecure,
          additionalParameters: { resource: stack.url },
        },
      ),
      { expectedNonce: request.nonce },
    );
    const userId = (await browser.sessionUser())?.id as string;
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe(userId);
    expect(tokens.refresh_token).toBeTruthy();
    const info = await oauth.processUserInfoResponse(
      as,
      rp.client,
      userId,
      await oauth.userInfoRequest(as, rp.client, tokens.access_token, insecure),
    );
    expect(info).toMatchObject({ sub: userId, email: "dora@gmail.test", email_verified: true, name: "Dora" });
  });

  it("the MCP SDK's auth() gets tokens for the Google user after consent", async () => {
    const provider = new MemoryClientProvider(`http://127.0.0.1:${await freePort()}/oauth/callback`, {
      state: "mcp-state",
    });
    const serverUrl = `${stack.url}/mcp`;
    expect(await auth(provider, { serverUrl })).toBe("REDIRECT");
    const browser = new SocialBrowser(stack.url);
    const consentPage = await toConsentThroughGoogle(
      browser,
      (provider.authorizationUrl as URL).href,
      "3004",
    );
    const callback = await consent(browser, consentPage);
    expect(callback.origin + callback.pathname).toBe(provider.redirectUrl);
    expect(callback.searchParams.get("state")).toBe("mcp-state");
    const code = callback.searchParams.get("code") as string;
    expect(await auth(provider, { serverUrl, authorizationCode: code })).toBe("AUTHORIZED");
    const { access_token } = provider.stored as OAuthTokens;
    const { payload } = await jwtVerify(
      access_token,
      createRemoteJWKSet(new URL(`${stack.url}/auth/v1/jwks`)),
      {
        issuer: `${stack.url}/auth/v1`,
        audience: stack.url,
      },
    );
    expect(payload.sub).toBe((await browser.sessionUser())?.id);
  });
});
