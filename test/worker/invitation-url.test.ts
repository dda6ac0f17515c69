/** Invitation emails link to the Account SPA's accept page with the invitation id. */
import { describe, expect, it } from "vitest";
import { invitationUrl } from "../../worker/auth/plugins/organization/invitation-url.ts";

describe("invitationUrl", () => {
  it.each([
    ["https://account.example.com", "https://account.example.com/accept-invitation?id=inv_1"],
    ["http://localhost:1337/", "http://localhost:1337/accept-invitation?id=inv_1"],
    ["https://example.com/account", "https://example.com/account/accept-invitation?id=inv_1"],
  ])("on %s", (accountUrl, expected) => {
    expect(invitationUrl(accountUrl, "inv_1")).toBe(expected);
  });

  it("escapes the id", () => {
    expect(invitationUrl("https://a.example.com", "a&b=c")).toBe(
      "https://a.example.com/accept-invitation?id=a%26b%3Dc",
    );
  });
});
