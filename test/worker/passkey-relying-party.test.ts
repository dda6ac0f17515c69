/** The passkey relying party comes from ACCOUNT_URL: its hostname is the RP ID, its origin the expected origin. */
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
      origin,
      rpName: "My App",
    });
  });

  it("names ACCOUNT_URL when it is not an absolute URL", () => {
    expect(() => relyingParty({ ACCOUNT_URL: "account.example.com", APP_NAME: "x" })).toThrow(
      /passkey needs ACCOUNT_URL .*"account\.example\.com"/,
    );
  });
});
