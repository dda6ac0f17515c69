/** oauthProvider's settings: pages on ACCOUNT_URL, audiences defaulting to BETTER_AUTH_URL, and the protected resource each path describes. */
import { describe, expect, it } from "vitest";
import {
  allAudiences,
  oauthProviderSettings,
  offeredScopes,
  scopesFor,
} from "../../worker/auth/plugins/oauth-provider/options.ts";
import { resourceForPath } from "../../worker/auth/plugins/oauth-provider/protected-resource.ts";

const env = { ACCOUNT_URL: "https://account.example.com", BETTER_AUTH_URL: "https://api.example.com" };

describe("oauthProviderSettings", () => {
  it("puts the login and consent pages on ACCOUNT_URL and defaults the audience to BETTER_AUTH_URL", () => {
    expect(oauthProviderSettings({}, env)).toEqual({
      loginPage: "https://account.example.com/login",
      consentPage: "https://account.example.com/consent",
      allowDynamicClientRegistration: true,
      allowUnauthenticatedClientRegistration: true,
      validAudiences: ["https://api.example.com"],
      scopes: ["openid", "profile", "email", "offline_access"],
      resources: [],
    });
  });

  it("keeps a path on ACCOUNT_URL and takes the config's options", () => {
    const settings = oauthProviderSettings(
      {
        loginPage: "/sign-in",
        consentPage: "/approve",
        allowUnauthenticatedClientRegistration: false,
        validAudiences: ["https://api.example.com/mcp"],
        scopes: ["openid"],
      },
      { ...env, ACCOUNT_URL: "https://example.com/account/" },
    );
    expect(settings).toMatchObject({
      loginPage: "https://example.com/account/sign-in",
      consentPage: "https://example.com/account/approve",
      allowUnauthenticatedClientRegistration: false,
      validAudiences: ["https://api.example.com/mcp"],
      scopes: ["openid"],
    });
  });
});

describe("declared resources", () => {
  const settings = oauthProviderSettings(
    {
      resources: [
        { url: "https://api.example.com/mcp", scopes: ["tools:read", "tools:call"] },
        { url: "https://reports.example.com", scopes: ["reports:read", "tools:read"] },
      ],
    },
    env,
  );

  it("are audiences after the plain ones, and offer their scopes after the server's, once each", () => {
    expect(allAudiences(settings)).toEqual([
      "https://api.example.com",
      "https://api.example.com/mcp",
      "https://reports.example.com",
    ]);
    expect(offeredScopes(settings)).toEqual([
      "openid",
      "profile",
      "email",
      "offline_access",
      "tools:read",
      "tools:call",
      "reports:read",
    ]);
  });

  it("describe a declared resource by its own scopes (and offline_access), a plain audience by the server's less openid", () => {
    expect(scopesFor(settings, "https://api.example.com/mcp")).toEqual([
      "tools:read",
      "tools:call",
      "offline_access",
    ]);
    expect(scopesFor(settings, "https://api.example.com")).toEqual(["profile", "email", "offline_access"]);
    const noRefresh = oauthProviderSettings(
      { scopes: ["openid"], resources: [{ url: "https://api.example.com/mcp", scopes: ["tools:read"] }] },
      env,
    );
    expect(scopesFor(noRefresh, "https://api.example.com/mcp")).toEqual(["tools:read"]);
  });
});

describe("resourceForPath", () => {
  const origin = "https://api.example.com";
  const audiences = ["https://other.example.com", "https://api.example.com/mcp", "https://api.example.com"];

  it.each([
    ["", "https://api.example.com"],
    ["/mcp", "https://api.example.com/mcp"],
    ["/mcp/", "https://api.example.com/mcp"],
    ["/nothing", undefined],
  ])("path %j → %s", (path, expected) => {
    expect(resourceForPath(audiences, origin, path)).toBe(expected);
  });

  it("answers the root with the first audience on this origin, and nothing for audiences elsewhere", () => {
    expect(resourceForPath(["https://api.example.com/mcp"], origin, "")).toBe("https://api.example.com/mcp");
    expect(resourceForPath(["https://other.example.com"], origin, "")).toBeUndefined();
  });
});
