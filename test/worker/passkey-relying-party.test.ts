/**
 * The passkey relying party comes from ACCOUNT_URL and the plan's RP ID (else ACCOUNT_URL's hostname);
 * ceremonies may run on the Account SPA and on the app's trusted pages the RP ID covers.
 */
import { describe, expect, it } from "vitest";
import { relyingParty } from "../../worker/auth/plugins/passkey/relying-party.ts";

describe("relyingParty", () => {
  it.each([
    ["https://account.example.com", "account.example.com", "https://account.example.com"],
    ["https://account.example.com/", "account.example.com", "https://account.example.com"],
    ["https://example.com/account/", "example.com", "https://example.com"],
    ["http://localhost:1337", "localhost", "http://localhost:1337"],
  ])("ACCOUNT_URL %s → rpID %s, origin %s", (url, rpID, origin) => {
    expect(relyingParty({ ACCOUNT_URL: url, APP_NAME: "My App" })).toEqual({
      rpID,
      origin: [origin],
      rpName: "My App",
    });
  });

  it("takes the plan's RP ID, the site both subdomains share, keeping ACCOUNT_URL's origin", () => {
    expect(
      relyingParty({
        ACCOUNT_URL: "https://account.example.com",
        APP_NAME: "My App",
        AUTHFORM_RP_ID: "example.com",
      }),
    ).toEqual({ rpID: "example.com", origin: ["https://account.example.com"], rpName: "My App" });
  });

  it("refuses an RP ID that does not cover ACCOUNT_URL's host", () => {
    expect(() =>
      relyingParty({
        ACCOUNT_URL: "https://account.example.com",
        APP_NAME: "x",
        AUTHFORM_RP_ID: "example.org",
      }),
    ).toThrow(
      /RP ID "example\.org" \(AUTHFORM_RP_ID\) does not cover ACCOUNT_URL's host "account\.example\.com"/,
    );
    // A suffix that is not on a label boundary is not a parent domain.
    expect(() =>
      relyingParty({ ACCOUNT_URL: "https://myexample.com", APP_NAME: "x", AUTHFORM_RP_ID: "example.com" }),
    ).toThrow(/does not cover/);
  });

  it("names ACCOUNT_URL when it is not an absolute URL", () => {
    expect(() => relyingParty({ ACCOUNT_URL: "account.example.com", APP_NAME: "x" })).toThrow(
      /passkey needs ACCOUNT_URL .*"account\.example\.com"/,
    );
  });

  it("lets the app's pages on the site run a ceremony too, never the API's own origin", () => {
    const { origin } = relyingParty({
      BETTER_AUTH_URL: "https://api.example.com",
      ACCOUNT_URL: "https://account.example.com",
      APP_URL: "https://app.example.com",
      APP_NAME: "My App",
      AUTHFORM_RP_ID: "example.com",
      AUTHFORM_TRUSTED_ORIGINS: [
        "https://api.example.com",
        "https://account.example.com",
        "https://app.example.com",
        "https://app2.example.com",
        // Trusted for CORS, but a browser would not use example.com's passkeys there.
        "http://localhost:5173",
        "https://example.org",
      ].join(","),
    });
    expect(origin).toEqual([
      "https://account.example.com",
      "https://app.example.com",
      "https://app2.example.com",
    ]);
  });

  it("locally every URL is one origin, and a dev server on another port of localhost is a page too", () => {
    const local = "http://localhost:1337";
    const { origin } = relyingParty({
      BETTER_AUTH_URL: local,
      ACCOUNT_URL: local,
      APP_URL: local,
      APP_NAME: "My App",
      AUTHFORM_TRUSTED_ORIGINS: `${local},http://localhost:5173`,
    });
    expect(origin).toEqual([local, "http://localhost:5173"]);
  });
});
