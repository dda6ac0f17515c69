/**
 * Resource indicators (RFC 8707) for declared protected resources, driven by real clients:
 * oauth4webapi sends `resource` at authorize and at token and the access token's `aud` is checked
 * against the stack's JWKS with jose; the MCP SDK's auth() discovers an MCP server on the stack's
 * own host from its path-inserted protected resource metadata (RFC 9728) and gets a token for it.
 */
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryClientProvider } from "../support/mcp-client-provider.ts";
import {
  type AuthorizationRequest,
  authorizationRequest,
  authorizeWithConsent,
  discoverIssuer,
  navigate,
  registerClient,
} from "../support/oauth-browser.ts";
import { freePort, localEnv, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";
import { signUpUser, type TestUser } from "../support/users.ts";

const stage = uniqueStage("oauth-resources");
const CONFIG = ["--config", "test/fixtures/oauth-resources.config.ts"];
const REDIRECT_URI = "https://client.example.com/callback";
const REPORTS = "https://reports.example.com/api";
const insecure = { [oauth.allowInsecureRequests]: true } as const;

let stack: RunningStack;
/** The MCP server declared on the stack's own host. */
let mcp: string;
let issuer: URL;
let as: oauth.AuthorizationServer;
let user: TestUser;
/** A client registered dynamically (DCR), as MCP clients do; the user consents per test as needed. */
let rp: { client: oauth.Client; clientAuth: oauth.ClientAuth };
let jwks: ReturnType<typeof createRemoteJWKSet>;

beforeAll(async () => {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  stack = await startStack(stage, {
    port,
    args: CONFIG,
    env: localEnv({ OAUTH_RESOURCES_TEST_ORIGIN: origin }),
  });
  expect(stack.url).toBe(origin);
  mcp = `${origin}/mcp`;
  issuer = new URL(`${stack.url}/auth/v1`);
  as = await discoverIssuer(stack.url);
  jwks = createRemoteJWKSet(new URL(as.jwks_uri as string));
  user = await signUpUser(stack.url, "Lin");
  rp = await registerClient(as, { client_name: "Agent", redirect_uris: [REDIRECT_URI] }, "198.51.100.1");
});

afterAll(async () => {
  await stack?.stop();
});

const request = (scope: string, resource?: string): Promise<AuthorizationRequest> =>
  authorizationRequest(as, {
    clientId: rp.client.client_id,
    redirectUri: REDIRECT_URI,
    scope,
    resource: "",
  }).then((r) => {
    if (resource === undefined) r.url.searchParams.delete("resource");
    else r.url.searchParams.set("resource", resource);
    return r;
  });

/** Through authorize (consenting when asked), then the code exchanged, with `resource` at token when given. */
async function tokensFor(req: AuthorizationRequest, tokenResource?: string) {
  const callback = new URL(await authorizeWithConsent(user.browser, req.url.href));
  const params = oauth.validateAuthResponse(as, rp.client, callback, req.state);
  const res = await oauth.authorizationCodeGrantRequest(
    as,
    rp.client,
    rp.clientAuth,
    params,
    REDIRECT_URI,
    req.verifier,
    { ...insecure, ...(tokenResource ? { additionalParameters: { resource: tokenResource } } : {}) },
  );
  return res;
}

describe("declared resources (RFC 8707) with oauth4webapi", () => {
  it("are offered by the authorization server with their scopes", () => {
    expect(as.scopes_supported).toEqual(
      expect.arrayContaining(["openid", "offline_access", "tools:read", "tools:call", "reports:read"]),
    );
  });

  it("issue a token whose aud is the resource sent at authorize and at token, verified against the JWKS", async () => {
    const res = await tokensFor(await request("tools:read offline_access", mcp), mcp);
    const tokens = await oauth.processAuthorizationCodeResponse(as, rp.client, res);
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: issuer.href, audience: mcp });
    expect(payload.aud).toBe(mcp);
    expect(payload.sub).toBe(user.id);
    expect(payload.scope).toBe("tools:read offline_access");
    expect(tokens.refresh_token).toBeTruthy();
    // The token is for the MCP server only: a verifier for the other resource refuses it.
    await expect(
      jwtVerify(tokens.access_token, jwks, { issuer: issuer.href, audience: REPORTS }),
    ).rejects.toThrow(/aud/);
  });

  it("take the resource at the token endpoint alone too", async () => {
    const res = await tokensFor(await request("reports:read"), REPORTS);
    const tokens = await oauth.processAuthorizationCodeResponse(as, rp.client, res);
    const { payload } = await jwtVerify(tokens.access_token, jwks, {
      issuer: issuer.href,
      audience: REPORTS,
    });
    expect(payload.aud).toBe(REPORTS);
  });

  it("put only the resource's own scopes in its token, never another resource's", async () => {
    const res = await tokensFor(await request("tools:call reports:read offline_access", REPORTS), REPORTS);
    const tokens = await oauth.processAuthorizationCodeResponse(as, rp.client, res);
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      aud: REPORTS,
      scope: "reports:read offline_access",
    });
  });

  it("refuse an undeclared resource with invalid_target, at authorize and at token", async () => {
    const atAuthorize = await request("tools:read", "https://elsewhere.example.com/mcp");
    const callback = new URL(await navigate(user.browser, atAuthorize.url.href));
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(() => oauth.validateAuthResponse(as, rp.client, callback, atAuthorize.state)).toThrow(
      expect.objectContaining({ error: "invalid_target" }),
    );

    // A code for the MCP server cannot be turned into a token for another resource, declared or not.
    for (const other of ["https://elsewhere.example.com/mcp", REPORTS]) {
      const res = await tokensFor(await request("tools:read", mcp), other);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: "invalid_target" });
    }
  });
});

describe("protected resource metadata (RFC 9728)", () => {
  it("is served for the MCP server on the stack's own host, at its path-inserted URL", async () => {
    const res = await fetch(`${stack.url}/.well-known/oauth-protected-resource/mcp`);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await res.json()).toEqual({
      resource: mcp,
      authorization_servers: [issuer.href],
      scopes_supported: ["tools:read", "tools:call", "offline_access"],
      bearer_methods_supported: ["header"],
      resource_name: "oauth-resources-test",
    });
  });

  it("is not served for a resource on another host (its own server publishes it)", async () => {
    expect((await fetch(`${stack.url}/.well-known/oauth-protected-resource/api`)).status).toBe(404);
  });
});

describe("the MCP SDK's auth() against the declared MCP server", () => {
  it("discovers it, registers, sends it as resource, and gets a token whose aud is the server", async () => {
    const provider = new MemoryClientProvider(`http://127.0.0.1:${await freePort()}/oauth/callback`, {
      clientName: "MCP client for a declared resource",
    });
    expect(await auth(provider, { serverUrl: mcp })).toBe("REDIRECT");
    const url = provider.authorizationUrl as URL;
    expect(url.searchParams.get("resource")).toBe(mcp);
    expect(url.searchParams.get("scope")).toBe("tools:read tools:call offline_access");

    // A user signed in already: authorize goes straight to consent, then back with a code.
    const { browser } = await signUpUser(stack.url, "Mo");
    const callback = new URL(await authorizeWithConsent(browser, url.href));
    expect(callback.searchParams.get("iss")).toBe(issuer.href);
    const code = callback.searchParams.get("code") as string;
    expect(await auth(provider, { serverUrl: mcp, authorizationCode: code })).toBe("AUTHORIZED");
    const { payload } = await jwtVerify((provider.stored as OAuthTokens).access_token, jwks, {
      issuer: issuer.href,
      audience: mcp,
    });
    expect(payload.aud).toBe(mcp);
    expect(payload.scope).toBe("tools:read tools:call offline_access");
  });
});
