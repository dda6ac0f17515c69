/** Drives an OAuth authorization request as a browser with the Account SPA would: authorize, login page, consent page. */
import * as oauth from "oauth4webapi";
import { expect } from "vitest";
import type { Session } from "./http.ts";

/**
 * Where a step sends the browser next. Better Auth answers a navigation with a 302 and a fetch()
 * (sec-fetch-mode: cors, as Node's fetch sends) with 200 `{ redirect: true, url }`; both count.
 */
export async function nextUrl(res: Response): Promise<string> {
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get("location");
    expect(location, "a redirect without Location").toBeTruthy();
    return location as string;
  }
  const text = await res.text();
  expect(res.status, text).toBe(200);
  const body = JSON.parse(text) as { redirect?: boolean; url?: string };
  expect(body.redirect, text).toBe(true);
  return body.url as string;
}

/** GET a URL in the browser session and return where it sends the browser. */
export async function navigate(browser: Session, url: string): Promise<string> {
  return nextUrl(await browser.request(url));
}

/** The login page: sign in with email + password, handing back the signed request it was given. */
export async function signInOnLoginPage(
  browser: Session,
  loginUrl: string,
  credentials: { email: string; password: string },
): Promise<string> {
  const oauthQuery = new URL(loginUrl).searchParams.get("oauth_query");
  expect(oauthQuery, `no oauth_query on ${loginUrl}`).toBeTruthy();
  return nextUrl(await browser.post("/auth/v1/sign-in/email", { ...credentials, oauth_query: oauthQuery }));
}

/** The consent page: accept (or deny) with the signed request from its URL; returns the client's redirect URI. */
export async function answerOnConsentPage(
  browser: Session,
  consentUrl: string,
  accept = true,
): Promise<string> {
  const oauthQuery = new URL(consentUrl).searchParams.get("oauth_query");
  expect(oauthQuery, `no oauth_query on ${consentUrl}`).toBeTruthy();
  return nextUrl(await browser.post("/auth/v1/oauth2/consent", { accept, oauth_query: oauthQuery }));
}

/**
 * A signed-in browser's trip through authorize: straight back with a code when the user already
 * consented to this client, through the consent page (accepting) when not. Returns the redirect URI it lands on.
 */
export async function authorizeWithConsent(browser: Session, authorizationUrl: string): Promise<string> {
  const next = await navigate(browser, authorizationUrl);
  return new URL(next).pathname === "/consent" ? answerOnConsentPage(browser, next) : next;
}

/** A confidential client registered dynamically (RFC 7591), from its own address: registration is rate limited per IP. */
export async function registerClient(
  as: oauth.AuthorizationServer,
  metadata: Partial<oauth.OmitSymbolProperties<oauth.Client>>,
  ip: string,
): Promise<{ client: oauth.Client; clientAuth: oauth.ClientAuth }> {
  const res = await oauth.dynamicClientRegistrationRequest(
    as,
    {
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      ...metadata,
    },
    { [oauth.allowInsecureRequests]: true, headers: { "cf-connecting-ip": ip } },
  );
  const client = await oauth.processDynamicClientRegistrationResponse(res);
  expect(client.client_secret, "a confidential client gets a secret").toBeTruthy();
  return { client, clientAuth: oauth.ClientSecretBasic(client.client_secret as string) };
}

/** An authorization request with PKCE S256, state and nonce, as an OAuth client builds it. */
export interface AuthorizationRequest {
  url: URL;
  state: string;
  verifier: string;
  nonce: string;
}

export async function authorizationRequest(
  as: oauth.AuthorizationServer,
  params: { clientId: string; redirectUri: string; scope: string; resource: string },
  extra: Record<string, string> = {},
): Promise<AuthorizationRequest> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint as string);
  url.search = new URLSearchParams({
    client_id: params.clientId,
    redirect_uri: params.redirectUri,
    response_type: "code",
    scope: params.scope,
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    resource: params.resource,
    ...extra,
  }).toString();
  return { url, state, verifier, nonce };
}

/**
 * The stack's authorization server metadata, found as an OAuth client finds it: oauth4webapi's
 * discovery from the issuer `<stack>/auth/v1` (RFC 8414 with the path inserted, or OpenID discovery
 * with `oidc`), over plain http on loopback.
 */
export async function discoverIssuer(
  stackUrl: string,
  algorithm: "oauth2" | "oidc" = "oauth2",
): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(`${stackUrl}/auth/v1`);
  return oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm, [oauth.allowInsecureRequests]: true }),
  );
}
