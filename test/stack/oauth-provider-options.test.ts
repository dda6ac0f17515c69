/**
 * The seed's oauthProvider object form, end to end: each option set away from its default changes
 * what a real client (oauth4webapi) meets — registration closed, the team's own login and consent
 * pages, the scopes offered, and the audiences tokens are issued for.
 */
import { decodeJwt } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import {
  answerOnConsentPage,
  authorizationRequest,
  discoverIssuer,
  navigate,
  signInOnLoginPage,
} from "../support/oauth-browser.ts";
import { type RunningStack, startStack, uniqueStage } from "../support/stack.ts";
import { signUpUser, TEST_PASSWORD, type TestUser } from "../support/users.ts";

const stage = uniqueStage("oauth-closed");
const CONFIG = ["--config", "test/fixtures/oauth-closed.config.ts"];
const REDIRECT_URI = "https://client.example.com/callback";
const API = "https://api.example.com";
const insecure = { [oauth.allowInsecureRequests]: true } as const;

let stack: RunningStack;
let as: oauth.AuthorizationServer;
let owner: TestUser;
let client: oauth.Client;
let clientAuth: oauth.ClientAuth;

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  as = await discoverIssuer(stack.url);
  owner = await signUpUser(stack.url, "Owner");
  // With registration closed, a signed-in team member creates the client.
  const res = await owner.browser.post("/auth/v1/oauth2/create-client", {
    client_name: "Example CRM",
    redirect_uris: [REDIRECT_URI],
    token_endpoint_auth_method: "client_secret_basic",
  });
  expect(res.status, await res.clone().text()).toBe(201);
  client = (await res.json()) as oauth.Client;
  clientAuth = oauth.ClientSecretBasic(client.client_secret as string);
});

afterAll(async () => {
  await stack?.stop();
});

const request = (scope: string, resource = API) =>
  authorizationRequest(as, { clientId: client.client_id, redirectUri: REDIRECT_URI, scope, resource });

describe("allowDynamicClientRegistration: false", () => {
  it("advertises no registration endpoint", () => {
    expect(as.registration_endpoint).toBeUndefined();
  });

  it("refuses registration, from strangers and signed-in users alike", async () => {
    const metadata = { client_name: "Intruder", redirect_uris: [REDIRECT_URI] };
    for (const caller of [new Session(stack.url), owner.browser]) {
      const res = await caller.post("/auth/v1/oauth2/register", metadata);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: "access_denied" });
    }
  });
});

describe("loginPage and consentPage", () => {
  it("send the browser to the team's own pages on ACCOUNT_URL, and the flow completes through them", async () => {
    const { url, state, verifier, nonce } = await request("openid email");
    const visitor = new Session(stack.url);
    const login = new URL(await navigate(visitor, url.href));
    expect(`${login.origin}${login.pathname}`).toBe(`${stack.outputs.accountUrl}/team/sign-in`);

    const consent = new URL(
      await signInOnLoginPage(visitor, login.href, { email: owner.email, password: TEST_PASSWORD }),
    );
    expect(`${consent.origin}${consent.pathname}`).toBe(`${stack.outputs.accountUrl}/team/approve`);

    const callback = new URL(await answerOnConsentPage(visitor, consent.href));
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, REDIRECT_URI, verifier, {
        ...insecure,
        additionalParameters: { resource: API },
      }),
      { expectedNonce: nonce },
    );
    expect(decodeJwt(tokens.access_token).aud).toContain(API);
    expect(tokens.scope?.split(" ").sort()).toEqual(["email", "openid"]);
  });
});

describe("scopes", () => {
  it("are the ones discovery offers", () => {
    expect([...(as.scopes_supported ?? [])].sort()).toEqual(["email", "openid"]);
  });

  it("refuse a scope the config left out, at the client's redirect_uri", async () => {
    const { url } = await request("openid profile");
    const callback = new URL(await navigate(owner.browser, url.href));
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get("error")).toBe("invalid_scope");
    expect(callback.searchParams.get("code")).toBeNull();
  });
});

describe("validAudiences", () => {
  it("refuse the default audience (BETTER_AUTH_URL) once the config names others, at the client's redirect_uri", async () => {
    const { url } = await request("openid email", stack.url);
    const callback = new URL(await navigate(owner.browser, url.href));
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get("error")).toBe("invalid_target");
    expect(callback.searchParams.get("code")).toBeNull();
  });
});
