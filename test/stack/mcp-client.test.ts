/**
 * A real MCP client against the stack: the MCP TypeScript SDK's auth() discovers the authorization
 * server from the root metadata, registers itself with a loopback redirect and no application_type
 * (as Claude, Cursor and the SDK's own examples do), authorizes with PKCE S256 and gets tokens.
 */
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { MemoryClientProvider } from "../support/mcp-client-provider.ts";
import { answerOnConsentPage, navigate, signInOnLoginPage } from "../support/oauth-browser.ts";
import { freePort, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("mcp");
const CONFIG = ["--config", "test/fixtures/mcp.config.ts"];
const user = { name: "Grace", email: "grace@example.com", password: "correct horse battery" };
let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  const res = await new Session(stack.url).post("/auth/v1/sign-up/email", user);
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await stack?.stop();
});

describe.each(["127.0.0.1", "localhost"])("MCP SDK auth() with a http://%s redirect", (host) => {
  let provider: MemoryClientProvider;
  // Where the MCP server would live on this Worker; auth() only needs its origin's metadata.
  const serverUrl = () => `${stack.url}/mcp`;

  beforeAll(async () => {
    provider = new MemoryClientProvider(`http://${host}:${await freePort()}/oauth/callback`, {
      state: "mcp-state",
    });
  });

  it("discovers, registers and starts an S256 authorization for the advertised resource", async () => {
    expect(await auth(provider, { serverUrl: serverUrl() })).toBe("REDIRECT");
    // Registered as sent (the SDK keeps only the fields it knows; application_type is not one).
    expect(provider.client).toMatchObject({
      client_id: expect.any(String),
      redirect_uris: [provider.redirectUrl],
      token_endpoint_auth_method: "none",
    });
    const url = provider.authorizationUrl as URL;
    expect(url.href.startsWith(`${stack.url}/auth/v1/oauth2/authorize?`)).toBe(true);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("resource")).toBe(stack.url);
    expect(url.searchParams.get("scope")).toBe("profile email offline_access");
  });

  it("gets tokens after the user signs in and consents", async () => {
    const browser = new Session(stack.url);
    const login = await navigate(browser, (provider.authorizationUrl as URL).href);
    expect(new URL(login).pathname).toBe("/login");
    const consent = await signInOnLoginPage(browser, login, user);
    expect(new URL(consent).pathname).toBe("/consent");
    const callback = new URL(await answerOnConsentPage(browser, consent));
    expect(`${callback.origin}${callback.pathname}`).toBe(provider.redirectUrl);
    expect(callback.searchParams.get("state")).toBe("mcp-state");

    const code = callback.searchParams.get("code") as string;
    expect(await auth(provider, { serverUrl: serverUrl(), authorizationCode: code })).toBe("AUTHORIZED");
    const tokens = provider.stored as OAuthTokens;
    expect(tokens.refresh_token).toBeTruthy();
    const jwks = createRemoteJWKSet(new URL(`${stack.url}/auth/v1/jwks`));
    const { payload } = await jwtVerify(tokens.access_token, jwks, {
      issuer: `${stack.url}/auth/v1`,
      audience: stack.url,
    });
    expect(payload.azp).toBe((provider.client as { client_id: string }).client_id);
  });

  it("refreshes on the next auth() call without sending the user anywhere", async () => {
    const before = provider.stored as OAuthTokens;
    provider.authorizationUrl = undefined;
    expect(await auth(provider, { serverUrl: serverUrl() })).toBe("AUTHORIZED");
    expect(provider.authorizationUrl).toBeUndefined();
    expect(provider.stored?.access_token).not.toBe(before.access_token);
    expect(provider.stored?.refresh_token).not.toBe(before.refresh_token);
  });
});
