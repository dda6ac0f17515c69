/**
 * The OAuth 2.1 / OIDC provider on workerd, driven by a real third-party client (oauth4webapi):
 * discovery from the root, dynamic registration, authorization code + PKCE through the Account
 * SPA's login and consent pages, tokens, userinfo, refresh, introspection, revocation, and the
 * failures a client must see (replayed code, wrong redirect_uri, missing verifier, plain PKCE).
 */
import http from "node:http";
import { oauthProviderResourceClient } from "@better-auth/oauth-provider/resource-client";
import { createAuthClient } from "better-auth/client";
import { createRemoteJWKSet, jwtVerify } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import {
  type AuthorizationRequest,
  answerOnConsentPage,
  authorizeWithConsent,
  authorizationRequest as buildAuthorizationRequest,
  discoverIssuer,
  navigate,
  nextUrl,
  registerClient,
} from "../support/oauth-browser.ts";
import { type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("oauth");
const CONFIG = ["--config", "test/fixtures/oauth.config.ts"];
const REDIRECT_URI = "https://client.example.com/callback";
const SCOPE = "openid profile email offline_access";
const user = { name: "Ada", email: "ada@example.com", password: "correct horse battery" };

let stack: RunningStack;
let issuer: URL;
let as: oauth.AuthorizationServer;
/** The client most tests use; the user consented to it in beforeAll. */
let shared: RelyingParty;
/** The user, signed in (and kept so): each test starts from here. */
let browser: Session;
let userId: string;

/** oauth4webapi refuses plain http unless told: the local stack is http://localhost. */
const insecure = { [oauth.allowInsecureRequests]: true } as const;

type Authorization = AuthorizationRequest;
interface RelyingParty {
  client: oauth.Client;
  clientAuth: oauth.ClientAuth;
}

/** Registration is rate limited per IP (10 a minute): each client registers from its own address. */
let registrations = 0;
const newClient = (name: string): Promise<RelyingParty> =>
  registerClient(as, { client_name: name, redirect_uris: [REDIRECT_URI] }, `198.51.100.${++registrations}`);

const authorizationRequest = (extra: Record<string, string> = {}, rp = shared) =>
  buildAuthorizationRequest(
    as,
    { clientId: rp.client.client_id, redirectUri: REDIRECT_URI, scope: SCOPE, resource: stack.url },
    extra,
  );

/** A signed-in user who already consented: authorize answers with the code at once. */
async function codeFor(request: Authorization, rp = shared): Promise<URLSearchParams> {
  const redirect = await navigate(browser, request.url.href);
  expect(redirect.startsWith(`${REDIRECT_URI}?`), redirect).toBe(true);
  return oauth.validateAuthResponse(as, rp.client, new URL(redirect), request.state);
}

function exchange(
  params: URLSearchParams,
  verifier: string | typeof oauth.nopkce,
  redirectUri = REDIRECT_URI,
  rp = shared,
) {
  return oauth.authorizationCodeGrantRequest(as, rp.client, rp.clientAuth, params, redirectUri, verifier, {
    ...insecure,
    additionalParameters: { resource: stack.url },
  });
}

/** Fresh tokens for the shared client: authorize (consented), then the code exchanged with its verifier. */
async function freshTokens(): Promise<oauth.TokenEndpointResponse> {
  const request = await authorizationRequest();
  return oauth.processAuthorizationCodeResponse(
    as,
    shared.client,
    await exchange(await codeFor(request), request.verifier),
    { expectedNonce: request.nonce },
  );
}

/** A token endpoint request sent by hand, for what oauth4webapi itself refuses to send. */
function rawToken(body: Record<string, string>) {
  return fetch(as.token_endpoint as string, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${btoa(`${shared.client.client_id}:${shared.client.client_secret}`)}`,
    },
    body: new URLSearchParams(body),
  });
}

/** A GET as a browser's address bar sends it: no fetch metadata headers. */
function plainGet(url: URL): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { accept: "text/html" } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      })
      .on("error", reject);
  });
}

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  issuer = new URL(`${stack.url}/auth/v1`);
  as = await discoverIssuer(stack.url);
  browser = new Session(stack.url);
  const res = await browser.post("/auth/v1/sign-up/email", user);
  expect(res.status).toBe(200);
  userId = ((await res.json()) as { user: { id: string } }).user.id;
  shared = await newClient("Example CRM");
  const request = await authorizationRequest();
  expect(await authorizeWithConsent(browser, request.url.href)).toMatch(`${REDIRECT_URI}?`);
});

afterAll(async () => {
  await stack?.stop();
});

describe("discovery at the root", () => {
  it("is found by oauth4webapi from the issuer (RFC 8414, path inserted) and by OIDC discovery", async () => {
    const found = await discoverIssuer(stack.url);
    expect(found.issuer).toBe(issuer.href);
    expect(found.code_challenge_methods_supported).toEqual(["S256"]);
    expect(found.registration_endpoint).toBe(`${issuer.href}/oauth2/register`);
    const oidc = await discoverIssuer(stack.url, "oidc");
    expect(oidc.userinfo_endpoint).toBe(`${issuer.href}/oauth2/userinfo`);
  });

  it.each([
    "/.well-known/oauth-authorization-server",
    "/.well-known/oauth-authorization-server/auth/v1",
    "/.well-known/openid-configuration",
    "/.well-known/openid-configuration/auth/v1",
  ])("serves %s as public JSON naming the /auth/v1 issuer", async (path) => {
    const res = await fetch(`${stack.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await res.json()).toMatchObject({
      issuer: issuer.href,
      authorization_endpoint: `${issuer.href}/oauth2/authorize`,
      token_endpoint: `${issuer.href}/oauth2/token`,
      response_types_supported: ["code"],
    });
  });

  it("serves the seed's /oauth2/* endpoints under the auth base path only, as discovery says", async () => {
    // The seed: "All Better Auth plugin routes are served under your auth base path /auth/v1/*".
    const body = JSON.stringify({ redirect_uris: ["https://client.example.com/callback"] });
    const post = (url: string) =>
      fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    const root = await post(`${stack.url}/oauth2/register`);
    expect(root.status).toBe(404);
    expect(root.headers.get("content-type")).toContain("application/json");
    expect((await post(`${issuer.href}/oauth2/register`)).status).toBe(201);
  });

  it("serves protected resource metadata (RFC 9728) for BETTER_AUTH_URL, the default audience", async () => {
    const res = await fetch(`${stack.url}/.well-known/oauth-protected-resource`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      resource: stack.url,
      authorization_servers: [issuer.href],
      scopes_supported: ["profile", "email", "offline_access"],
      bearer_methods_supported: ["header"],
      resource_name: "oauth-test",
    });
    // No audience lives at /mcp, so that document does not exist (clients then read the root one).
    expect((await fetch(`${stack.url}/.well-known/oauth-protected-resource/mcp`)).status).toBe(404);
  });
});

describe("authorization code flow with oauth4webapi", () => {
  it("registers a client dynamically, without a session", async () => {
    const res = await oauth.dynamicClientRegistrationRequest(
      as,
      {
        client_name: "Registered alone",
        redirect_uris: [REDIRECT_URI],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
      { ...insecure, headers: { "cf-connecting-ip": "198.51.100.250" } },
    );
    const client = await oauth.processDynamicClientRegistrationResponse(res);
    expect(client.client_id).toBeTruthy();
    expect(client.client_secret).toBeTruthy();
    expect(client.client_name).toBe("Registered alone");
  });

  it("refuses malformed client metadata with an error that names the field, in English", async () => {
    // The description is built from zod's English message (the Worker bundles no other locale).
    const res = await fetch(`${issuer.href}/oauth2/register`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "198.51.100.251" },
      body: JSON.stringify({ client_name: 42, redirect_uris: [REDIRECT_URI] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error_description: "client_name must be a string" });
  });

  it("sends a signed-out user to the login page on ACCOUNT_URL, then to consent, then back with a code", async () => {
    // A client this user has never consented to, in a browser that is not signed in.
    const rp = await newClient("First visit");
    const visitor = new Session(stack.url);
    const request = await authorizationRequest({}, rp);
    const login = new URL(await navigate(visitor, request.url.href));
    expect(`${login.origin}${login.pathname}`).toBe(`${stack.outputs.accountUrl}/login`);
    expect(login.searchParams.get("client_id")).toBe(rp.client.client_id);
    expect(login.searchParams.get("oauth_query")).toContain("sig=");

    // A plain login page: sign in, then go to `redirect` (the authorization request again).
    expect((await visitor.post("/auth/v1/sign-in/email", user)).status).toBe(200);
    const resume = login.searchParams.get("redirect") as string;
    expect(resume.startsWith(`${issuer.href}/oauth2/authorize?`)).toBe(true);
    const consent = new URL(await navigate(visitor, resume));
    expect(`${consent.origin}${consent.pathname}`).toBe(`${stack.outputs.accountUrl}/consent`);
    expect(consent.searchParams.get("client_id")).toBe(rp.client.client_id);
    expect(consent.searchParams.get("scope")).toBe(SCOPE);

    // What the consent screen shows, then the user's answer.
    const shown = await visitor.get(`/auth/v1/oauth2/public-client?client_id=${rp.client.client_id}`);
    expect(await shown.json()).toMatchObject({ client_id: rp.client.client_id, client_name: "First visit" });
    const callback = new URL(await answerOnConsentPage(visitor, consent.href));
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    const params = oauth.validateAuthResponse(as, rp.client, callback, request.state);
    expect(params.get("iss")).toBe(issuer.href);

    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      rp.client,
      await exchange(params, request.verifier, REDIRECT_URI, rp),
      { expectedNonce: request.nonce },
    );
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(tokens.refresh_token).toBeTruthy();
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe(userId);
  });

  it("issues an access token for the requested resource that verifies against the JWKS", async () => {
    const tokens = await freshTokens();
    const { payload } = await jwtVerify(
      tokens.access_token,
      createRemoteJWKSet(new URL(as.jwks_uri as string)),
      {
        issuer: issuer.href,
      },
    );
    expect(payload.sub).toBe(userId);
    expect([payload.aud].flat()).toContain(stack.url);
    expect(payload.scope).toBe(SCOPE);
  });

  it("verifies the access token with the seed's resource client (verifyBearerToken; issuer BETTER_AUTH_URL + /auth/v1)", async () => {
    const tokens = await freshTokens();
    // The seed's snippet, run from a resource server that has no `auth` instance of its own: it names
    // the JWKS. In @better-auth/oauth-provider 1.7.29 the seed's `verifyAccessToken` is `verifyBearerToken`.
    const serverClient = createAuthClient({ baseURL: issuer.href, plugins: [oauthProviderResourceClient()] });
    const jwksUrl = `${stack.url}/auth/v1/jwks`;
    const BETTER_AUTH_URL = stack.url; // local mode serves everything on one origin
    expect(as.jwks_uri).toBe(jwksUrl);
    const payload = await serverClient.verifyBearerToken(tokens.access_token, {
      jwksUrl,
      verifyOptions: { issuer: `${BETTER_AUTH_URL}/auth/v1`, audience: BETTER_AUTH_URL },
    });
    expect(payload.sub).toBe(userId);
    expect(payload.scope).toBe(SCOPE);
    // The seed's literal `issuer: env.BETTER_AUTH_URL` is refused: Better Auth's issuer carries the base path.
    await expect(
      serverClient.verifyBearerToken(tokens.access_token, {
        jwksUrl,
        verifyOptions: { issuer: BETTER_AUTH_URL, audience: BETTER_AUTH_URL },
      }),
    ).rejects.toThrow();
  });

  it("does not take the jwt plugin's identity token (/auth/v1/token) for an access token: the issuer differs", async () => {
    const tokens = await freshTokens();
    const res = await browser.get("/auth/v1/token");
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const jwks = createRemoteJWKSet(new URL(as.jwks_uri as string));
    await expect(jwtVerify(token, jwks, { issuer: issuer.href, audience: stack.url })).rejects.toThrow(/iss/);
    await expect(
      jwtVerify(tokens.access_token, jwks, { issuer: issuer.href, audience: stack.url }),
    ).resolves.toBeTruthy();
  });

  it("answers userinfo for the access token", async () => {
    const tokens = await freshTokens();
    const res = await oauth.userInfoRequest(as, shared.client, tokens.access_token, insecure);
    const info = await oauth.processUserInfoResponse(as, shared.client, userId, res);
    expect(info).toMatchObject({ sub: userId, email: user.email, name: user.name });
  });

  it("introspects tokens for the client that holds them", async () => {
    const tokens = await freshTokens();
    const { client, clientAuth } = shared;
    const res = await oauth.introspectionRequest(as, client, clientAuth, tokens.access_token, insecure);
    const active = await oauth.processIntrospectionResponse(as, client, res);
    expect(active).toMatchObject({ active: true, sub: userId, client_id: client.client_id });
    const junk = await oauth.introspectionRequest(as, client, clientAuth, "not-a-token", insecure);
    expect((await oauth.processIntrospectionResponse(as, client, junk)).active).toBe(false);
  });

  it("refreshes with rotation; replaying a used refresh token revokes the whole family", async () => {
    const tokens = await freshTokens();
    const { client, clientAuth } = shared;
    const used = tokens.refresh_token as string;
    const res = await oauth.refreshTokenGrantRequest(as, client, clientAuth, used, {
      ...insecure,
      additionalParameters: { resource: stack.url },
    });
    const refreshed = await oauth.processRefreshTokenResponse(as, client, res);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(used);
    const introspected = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, clientAuth, refreshed.access_token, insecure),
    );
    expect(introspected.active).toBe(true);

    const reuse = await rawToken({ grant_type: "refresh_token", refresh_token: used });
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: "invalid_grant" });
    // Reuse means the old token leaked: the one it was rotated into stops working too.
    const successor = await rawToken({
      grant_type: "refresh_token",
      refresh_token: refreshed.refresh_token as string,
    });
    expect(successor.status).toBe(400);
  });

  it("revokes a refresh token: introspection says inactive and it no longer refreshes", async () => {
    const fresh = await freshTokens();
    const { client, clientAuth } = shared;
    const token = fresh.refresh_token as string;
    const before = await oauth.introspectionRequest(as, client, clientAuth, token, {
      ...insecure,
      additionalParameters: { token_type_hint: "refresh_token" },
    });
    expect((await oauth.processIntrospectionResponse(as, client, before)).active).toBe(true);
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, clientAuth, token, {
        ...insecure,
        additionalParameters: { token_type_hint: "refresh_token" },
      }),
    );
    const res = await oauth.introspectionRequest(as, client, clientAuth, token, {
      ...insecure,
      additionalParameters: { token_type_hint: "refresh_token" },
    });
    expect((await oauth.processIntrospectionResponse(as, client, res)).active).toBe(false);
    const refresh = await rawToken({ grant_type: "refresh_token", refresh_token: token });
    expect(refresh.status).toBe(400);
  });

  it("skips the consent page once the user has consented, until the consent is deleted", async () => {
    // A client of its own: this test narrows and deletes the consent.
    const rp = await newClient("Consent keeper");
    expect(new URL(await navigate(browser, (await authorizationRequest({}, rp)).url.href)).pathname).toBe(
      "/consent",
    );
    await authorizeWithConsent(browser, (await authorizationRequest({}, rp)).url.href);
    const params = await codeFor(await authorizationRequest({}, rp), rp);
    expect(params.get("code")).toBeTruthy();

    const consents = (await (await browser.get("/auth/v1/oauth2/get-consents")).json()) as {
      id: string;
      clientId: string;
      scopes: string[];
    }[];
    const consent = consents.find((c) => c.clientId === rp.client.client_id);
    expect(consent?.scopes).toEqual(SCOPE.split(" "));
    const one = await browser.get(`/auth/v1/oauth2/get-consent?id=${consent?.id}`);
    expect(await one.json()).toMatchObject({ id: consent?.id, clientId: rp.client.client_id });

    const narrowed = await browser.post("/auth/v1/oauth2/update-consent", {
      id: consent?.id,
      update: { scopes: ["openid", "email"] },
    });
    expect(narrowed.status, await narrowed.clone().text()).toBe(200);
    // Asking for more than is now consented goes back to the consent page.
    const more = new URL(await navigate(browser, (await authorizationRequest({}, rp)).url.href));
    expect(more.pathname).toBe("/consent");

    expect((await browser.post("/auth/v1/oauth2/delete-consent", { id: consent?.id })).status).toBe(200);
    const again = new URL(await navigate(browser, (await authorizationRequest({}, rp)).url.href));
    expect(again.pathname).toBe("/consent");
  });

  it("sends the client access_denied when the user declines", async () => {
    const rp = await newClient("Declined");
    const request = await authorizationRequest({}, rp);
    const consent = await navigate(browser, request.url.href);
    const callback = new URL(await answerOnConsentPage(browser, consent, false));
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("state")).toBe(request.state);
  });
});

describe("what a client must be refused", () => {
  // The user consented to the shared client in beforeAll: each case gets its code straight from authorize.

  it("refuses a replayed code, and revokes what the code had already issued", async () => {
    const request = await authorizationRequest();
    const params = await codeFor(request);
    const first = await oauth.processAuthorizationCodeResponse(
      as,
      shared.client,
      await exchange(params, request.verifier),
      {
        expectedNonce: request.nonce,
      },
    );
    const replay = await exchange(params, request.verifier);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: "invalid_grant" });
    // RFC 6749 §4.1.2: a replayed code means it leaked; the tokens it gave out stop working.
    const refresh = await rawToken({
      grant_type: "refresh_token",
      refresh_token: first.refresh_token as string,
    });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a code redeemed with a different redirect_uri", async () => {
    const request = await authorizationRequest();
    const res = await exchange(await codeFor(request), request.verifier, "https://client.example.com/other");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a code redeemed without its PKCE verifier, or with another one", async () => {
    const request = await authorizationRequest();
    const firstCode = await codeFor(request);
    const code = firstCode.get("code") as string;
    const missing = await rawToken({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
    // RFC 7636 §4.6: the grant does not verify without its verifier (Better Auth says invalid_request).
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: "invalid_grant" });

    const other = await authorizationRequest();
    const otherCode = await codeFor(other);
    const wrong = await exchange(otherCode, oauth.generateRandomCodeVerifier());
    // RFC 6749 §5.2 (Better Auth ≥ 1.7.25; 1.7.7 said 401 invalid_request).
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({
      error: "invalid_grant",
      error_description: "code verification failed",
    });

    // Since 1.7.25 a failed request does not use the code up: someone holding a stolen code but not
    // the verifier cannot burn it, and the real client still redeems it, once.
    for (const [params, verifier] of [
      [firstCode, request.verifier],
      [otherCode, other.verifier],
    ] as const) {
      expect((await exchange(params, verifier)).status).toBe(200);
      const replay = await exchange(params, verifier);
      expect(replay.status).toBe(400);
      expect(await replay.json()).toMatchObject({ error: "invalid_grant" });
    }
  });

  it("refuses plain PKCE and a request without PKCE, telling the client at its redirect_uri", async () => {
    for (const extra of [
      { code_challenge_method: "plain", code_challenge: oauth.generateRandomCodeVerifier() },
      { code_challenge_method: "", code_challenge: "" },
    ]) {
      const request = await authorizationRequest(extra);
      if (extra.code_challenge === "") {
        request.url.searchParams.delete("code_challenge");
        request.url.searchParams.delete("code_challenge_method");
      }
      const callback = new URL(await navigate(browser, request.url.href));
      expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
      expect(callback.searchParams.get("error")).toBe("invalid_request");
      expect(callback.searchParams.get("code")).toBeNull();
    }
  });

  it("never redirects to an unregistered redirect_uri", async () => {
    const request = await authorizationRequest({ redirect_uri: "https://evil.example.com/callback" });
    const target = await navigate(browser, request.url.href);
    expect(target).not.toContain("evil.example.com");
    expect(new URL(target).searchParams.get("error")).toBe("invalid_redirect");
  });

  it("refuses a resource that is not a configured audience (RFC 8707 invalid_target)", async () => {
    const request = await authorizationRequest({ resource: "https://elsewhere.example.com" });
    const callback = new URL(await navigate(browser, request.url.href));
    expect(callback.searchParams.get("error")).toBe("invalid_target");
  });
});

describe("error codes a client acts on", () => {
  // The same user in a browser of its own: authorize is rate limited per address (30 a minute).
  let tab: Session;
  beforeAll(async () => {
    tab = new Session(stack.url);
    expect((await tab.post("/auth/v1/sign-in/email", user)).status).toBe(200);
  });

  async function codeIn(request: Authorization, rp: RelyingParty): Promise<URLSearchParams> {
    const callback = new URL(await authorizeWithConsent(tab, request.url.href));
    return oauth.validateAuthResponse(as, rp.client, callback, request.state);
  }

  /** A public client (PKCE, no secret), as MCP clients are; the signed-in user creates it. */
  async function publicClient(name: string): Promise<RelyingParty> {
    const res = await tab.post("/auth/v1/oauth2/create-client", {
      client_name: name,
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: "none",
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return { client: (await res.json()) as oauth.Client, clientAuth: oauth.None() };
  }

  /** The token endpoint's refusal, as oauth4webapi hands it to the client. */
  async function refusal(res: Response, rp: RelyingParty) {
    const { error } = (await res.clone().json()) as { error: string };
    const thrown = await oauth.processAuthorizationCodeResponse(as, rp.client, res).catch((e: unknown) => e);
    // oauth4webapi raises a 401 with a challenge as a challenge, any other refusal as its body.
    const kind = res.status === 401 ? oauth.WWWAuthenticateChallengeError : oauth.ResponseBodyError;
    expect(thrown).toBeInstanceOf(kind);
    return {
      status: (thrown as { status: number }).status,
      error,
      challenge: res.headers.get("www-authenticate"),
    };
  }

  it("answers a missing or wrong code_verifier with 400 invalid_grant, public and confidential clients alike", async () => {
    const rp = await publicClient("Public PKCE");
    for (const party of [rp, shared]) {
      for (const verifier of [oauth.nopkce, oauth.generateRandomCodeVerifier()] as const) {
        const params = await codeIn(await authorizationRequest({}, party), party);
        const res = await exchange(params, verifier, REDIRECT_URI, party);
        expect(await refusal(res, party)).toMatchObject({ status: 400, error: "invalid_grant" });
      }
    }
  });

  it("answers an unknown client with 401 invalid_client, however it authenticates", async () => {
    const request = await authorizationRequest();
    const params = await codeIn(request, shared);
    const client = { client_id: "never-registered" };
    for (const stranger of [
      { client: { ...client, token_endpoint_auth_method: "none" }, clientAuth: oauth.None() },
      { client, clientAuth: oauth.ClientSecretPost("guess") },
      { client, clientAuth: oauth.ClientSecretBasic("guess") },
    ]) {
      const res = await exchange(params, request.verifier, REDIRECT_URI, stranger);
      expect(await refusal(res, stranger)).toMatchObject({
        status: 401,
        error: "invalid_client",
        challenge: expect.stringMatching(/^Basic /),
      });
    }
    // The code was not the client's to spend: its own client still redeems it.
    expect((await exchange(params, request.verifier)).status).toBe(200);
  });

  it("answers a client deleted after authorizing with 401 invalid_client, so it registers again", async () => {
    const rp = await publicClient("Soon deleted");
    const request = await authorizationRequest({}, rp);
    const params = await codeIn(request, rp);
    const deleted = await tab.post("/auth/v1/oauth2/delete-client", { client_id: rp.client.client_id });
    expect(deleted.status).toBe(200);
    const res = await exchange(params, request.verifier, REDIRECT_URI, rp);
    expect(await refusal(res, rp)).toMatchObject({ status: 401, error: "invalid_client" });
  });

  it("names itself with iss on every authorization response, errors included (RFC 9207), as discovery says", async () => {
    expect(as.authorization_response_iss_parameter_supported).toBe(true);
    const success = new URL(await navigate(tab, (await authorizationRequest()).url.href));
    const rp = await newClient("Declined again");
    const declined = new URL(
      await answerOnConsentPage(
        tab,
        await navigate(tab, (await authorizationRequest({}, rp)).url.href),
        false,
      ),
    );
    const target = await authorizationRequest({ resource: "https://elsewhere.example.com" });
    const refused = new URL(await navigate(tab, target.url.href));
    for (const callback of [success, declined, refused]) {
      expect(callback.searchParams.get("iss"), callback.href).toBe(issuer.href);
    }
    // oauth4webapi checks iss before it looks at the error: reaching the error means iss passed.
    expect(() => oauth.validateAuthResponse(as, shared.client, refused, target.state)).toThrow(
      oauth.AuthorizationResponseError,
    );
    const forged = new URL(refused);
    forged.searchParams.set("iss", "https://attacker.example.com/auth/v1");
    expect(() => oauth.validateAuthResponse(as, shared.client, forged, target.state)).toThrow(/iss/);
  });
});

describe("dynamic registration of loopback redirects (RFC 8252)", () => {
  // Registration is rate limited per IP (10 a minute); these are many clients, so many addresses.
  let client = 0;
  const register = (body: Record<string, unknown>) =>
    fetch(`${issuer.href}/oauth2/register`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": `203.0.113.${++client}` },
      body: JSON.stringify({ client_name: "CLI", token_endpoint_auth_method: "none", ...body }),
    });

  it.each([
    "http://127.0.0.1:33418/callback",
    "http://localhost:6274/oauth/callback",
    "http://[::1]:8080/cb",
    "http://127.0.0.1/callback",
  ])("accepts %s from a client that sends no application_type, as a native app", async (uri) => {
    const res = await register({ redirect_uris: [uri] });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await res.json()).toMatchObject({ redirect_uris: [uri], application_type: "native" });
  });

  it.each([
    [["http://client.example.com/callback"]],
    [["http://127.0.0.1.nip.io/callback"]],
    [["http://localhost.example.com/callback"]],
    [["http://127.1:8080/callback"]],
    [["https://client.example.com/callback", "http://127.0.0.1:8080/callback"]],
  ])("still refuses the non-loopback or mixed http redirects %j", async (uris) => {
    const res = await register({ redirect_uris: uris });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_redirect_uri" });
  });

  it("keeps an explicit application_type: web refusing loopback http", async () => {
    const res = await register({ redirect_uris: ["http://127.0.0.1:8080/cb"], application_type: "web" });
    expect(res.status).toBe(400);
  });

  it("lets a loopback client come back on any port", async () => {
    const res = await register({ redirect_uris: ["http://127.0.0.1:40000/callback"] });
    const { client_id: clientId } = (await res.json()) as { client_id: string };
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(as.authorization_endpoint as string);
    url.search = new URLSearchParams({
      client_id: clientId,
      redirect_uri: "http://127.0.0.1:51234/callback",
      response_type: "code",
      scope: "openid",
      state: "s",
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    }).toString();
    const consent = new URL(await navigate(browser, url.href));
    expect(consent.pathname).toBe("/consent");
    const callback = new URL(await answerOnConsentPage(browser, consent.href));
    expect(callback.origin).toBe("http://127.0.0.1:51234");
    expect(callback.searchParams.get("code")).toBeTruthy();
  });
});

describe("client management (signed in)", () => {
  it("creates, reads, updates, rotates and deletes a client", async () => {
    const created = await browser.post("/auth/v1/oauth2/create-client", {
      client_name: "Back office",
      redirect_uris: ["https://backoffice.example.com/cb"],
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { client_id: id, client_secret: secret } = (await created.json()) as {
      client_id: string;
      client_secret: string;
    };
    expect(secret).toBeTruthy();

    const all = (await (await browser.get("/auth/v1/oauth2/get-clients")).json()) as { client_id: string }[];
    expect(all.map((c) => c.client_id)).toContain(id);
    const one = await browser.get(`/auth/v1/oauth2/get-client?client_id=${id}`);
    expect(await one.json()).toMatchObject({ client_id: id, client_name: "Back office" });
    expect(
      await (await browser.get(`/auth/v1/oauth2/public-client?client_id=${id}`)).json(),
    ).not.toHaveProperty("client_secret");

    const updated = await browser.post("/auth/v1/oauth2/update-client", {
      client_id: id,
      update: { client_name: "Back office 2" },
    });
    expect(updated.status, await updated.clone().text()).toBe(200);
    expect(await updated.json()).toMatchObject({ client_name: "Back office 2" });

    const rotated = await browser.post("/auth/v1/oauth2/client/rotate-secret", { client_id: id });
    expect(rotated.status).toBe(200);
    const { client_secret: newSecret } = (await rotated.json()) as { client_secret: string };
    expect(newSecret).toBeTruthy();
    expect(newSecret).not.toBe(secret);

    expect((await browser.post("/auth/v1/oauth2/delete-client", { client_id: id })).status).toBe(200);
    expect((await browser.get(`/auth/v1/oauth2/get-client?client_id=${id}`)).status).toBe(404);
  });

  it("keeps client management behind a session", async () => {
    expect((await fetch(`${issuer.href}/oauth2/get-clients`)).status).toBe(401);
    const anonymous = await fetch(`${issuer.href}/oauth2/create-client`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: stack.url },
      body: JSON.stringify({ redirect_uris: ["https://x.example.com/cb"] }),
    });
    expect(anonymous.status).toBe(401);
  });
});

it("answers authorize with 302 to a plain navigation and JSON to fetch()", async () => {
  const request = await authorizationRequest();
  // Node's fetch always sends sec-fetch-mode: cors; a browser navigation is a plain GET.
  const navigation = await plainGet(request.url);
  expect(navigation.status).toBe(302);
  const location = new URL(navigation.location as string);
  expect(location.pathname).toBe("/login");
  expect(location.searchParams.get("redirect")).toContain("/auth/v1/oauth2/authorize?");
  const viaFetch = await fetch(request.url, { redirect: "manual" });
  expect(viaFetch.status).toBe(200);
  expect(new URL(await nextUrl(viaFetch)).pathname).toBe("/login");
});

it("starts the flow by POST /oauth2/authorize with a form body too", async () => {
  const request = await authorizationRequest();
  const res = await fetch(as.authorization_endpoint as string, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: request.url.searchParams,
  });
  const login = new URL(await nextUrl(res));
  expect(`${login.origin}${login.pathname}`).toBe(`${stack.outputs.accountUrl}/login`);
  expect(login.searchParams.get("client_id")).toBe(shared.client.client_id);
  expect(login.searchParams.get("oauth_query")).toContain("sig=");
});
