/** The login and consent URLs the Account SPA receives: Better Auth's signed request plus oauth_query and, for login, redirect. */
import { describe, expect, it } from "vitest";
import { decorateAccountUrl } from "../../worker/auth/plugins/oauth-provider/account-redirects.ts";

const pages = {
  loginPage: "https://account.example.com/login",
  consentPage: "https://account.example.com/consent",
  authorizeUrl: "https://api.example.com/auth/v1/oauth2/authorize",
};
const signed =
  "response_type=code&client_id=abc&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&scope=openid+email" +
  "&state=s1&code_challenge=cc&code_challenge_method=S256&prompt=login+consent&max_age=0" +
  "&exp=1&ba_iat=2&ba_param=client_id&sig=SIG";

describe("decorateAccountUrl", () => {
  it("gives the login page the signed request as oauth_query and the authorization to resume as redirect", () => {
    const url = new URL(decorateAccountUrl(`${pages.loginPage}?${signed}`, pages) as string);
    expect(url.searchParams.get("oauth_query")).toBe(signed);
    expect(url.searchParams.get("client_id")).toBe("abc");
    const resume = new URL(url.searchParams.get("redirect") as string);
    expect(`${resume.origin}${resume.pathname}`).toBe(pages.authorizeUrl);
    expect(Object.fromEntries(resume.searchParams)).toEqual({
      response_type: "code",
      client_id: "abc",
      redirect_uri: "https://app.example.com/cb",
      scope: "openid email",
      state: "s1",
      code_challenge: "cc",
      code_challenge_method: "S256",
      prompt: "consent",
    });
  });

  it("gives the consent page oauth_query only, keeping Better Auth's parameters first", () => {
    const decorated = decorateAccountUrl(`${pages.consentPage}?${signed}`, pages) as string;
    expect(decorated.startsWith(`${pages.consentPage}?${signed}&oauth_query=`)).toBe(true);
    const url = new URL(decorated);
    expect(url.searchParams.get("oauth_query")).toBe(signed);
    expect(url.searchParams.has("redirect")).toBe(false);
  });

  it("leaves every other URL alone", () => {
    for (const other of [
      `https://app.example.com/cb?code=1&state=s1`,
      `https://account.example.com/login-help?${signed}`,
      `https://evil.example.com/consent?${signed}`,
      `${pages.consentPage}?client_id=abc`,
      `${pages.consentPage}?${signed}&oauth_query=x`,
    ]) {
      expect(decorateAccountUrl(other, pages), other).toBeUndefined();
    }
  });
});
