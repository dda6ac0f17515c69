/** Which token endpoint refusals token-errors.ts corrects, and which it leaves to Better Auth. */
import { describe, expect, it } from "vitest";
import { rewrite } from "../../worker/auth/plugins/oauth-provider/token-errors.ts";

const codeGrant = (extra: Record<string, string> = {}) =>
  new URLSearchParams({
    grant_type: "authorization_code",
    code: "c",
    redirect_uri: "https://x/cb",
    ...extra,
  });

describe("token endpoint refusals", () => {
  it.each([
    "code_verifier required because PKCE was used in authorization",
    "Either code_verifier or client_secret is required",
    "PKCE is required for this client",
  ])("turns %j for a code sent without a verifier into 400 invalid_grant", (description) => {
    expect(rewrite({ error: "invalid_request", error_description: description }, codeGrant())).toEqual({
      status: 400,
      body: { error: "invalid_grant", error_description: description },
    });
  });

  it("leaves other invalid_request refusals, and refusals of requests that sent a verifier, alone", () => {
    const body = { error: "invalid_request", error_description: "code is required" };
    expect(rewrite(body, new URLSearchParams({ grant_type: "authorization_code" }))).toBeUndefined();
    const pkce = {
      error: "invalid_request",
      error_description: "code_verifier provided but PKCE was not used",
    };
    expect(rewrite(pkce, codeGrant({ code_verifier: "v" }))).toBeUndefined();
    expect(
      rewrite(
        { error: "invalid_request", error_description: "PKCE is required" },
        new URLSearchParams({ grant_type: "refresh_token" }),
      ),
    ).toBeUndefined();
    expect(
      rewrite({ error: "invalid_grant", error_description: "code verification failed" }, codeGrant()),
    ).toBeUndefined();
  });

  it("makes every invalid_client a 401, the body unchanged", () => {
    const body = { error: "invalid_client", error_description: "client not found" };
    expect(rewrite(body, new URLSearchParams({ grant_type: "refresh_token" }))).toEqual({
      status: 401,
      body,
    });
  });
});
