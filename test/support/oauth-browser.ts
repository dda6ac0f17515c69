/** Drives an OAuth authorization request as a browser with the Account SPA would: authorize, login page, consent page. */
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
