/**
 * Client ID Metadata Documents (CIMD), with real clients: a loopback server this test starts serves
 * the documents (the stack runs in local mode, where loopback is allowed; test/worker/
 * cimd-address-filter.test.ts proves it is refused outside it); oauth4webapi runs authorize + token
 * with the document URL as client_id and PKCE; hostile documents are refused with invalid_client.
 * Also: a resource whose oauthResource row outlived the config is refused with invalid_target.
 */
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import { createRemoteJWKSet, jwtVerify } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClientMetadataServer, startClientMetadataServer } from "../support/client-metadata-server.ts";
import { localD1File } from "../support/local-d1.ts";
import { MemoryClientProvider } from "../support/mcp-client-provider.ts";
import {
  type AuthorizationRequest,
  answerOnConsentPage,
  authorizationRequest,
  discoverIssuer,
  registerClient,
} from "../support/oauth-browser.ts";
import {
  freePort,
  localEnv,
  querySqlite,
  type RunningStack,
  startStack,
  uniqueStage,
} from "../support/stack.ts";
import { signUpUser, type TestUser } from "../support/users.ts";

const APP = "oauth-cimd-test";
const stage = uniqueStage("oauth-cimd");
const CONFIG = ["--config", "test/fixtures/oauth-cimd.config.ts"];
const REDIRECT_URI = "http://127.0.0.1:7777/callback";
/** A resource no longer in the config. */
const REMOVED = "https://removed.example.com/api";
const insecure = { [oauth.allowInsecureRequests]: true } as const;

let stack: RunningStack;
let docs: ClientMetadataServer;
let mcp: string;
let issuer: URL;
let as: oauth.AuthorizationServer;
let user: TestUser;
let jwks: ReturnType<typeof createRemoteJWKSet>;

/** A well-formed document for `url`: the client says who it is and where it may be sent back. */
const document = (name: string) => (url: string) => ({
  client_id: url,
  client_name: name,
  client_uri: "https://agent.example.com",
  redirect_uris: [REDIRECT_URI],
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code"],
  token_endpoint_auth_method: "none",
});

beforeAll(async () => {
  docs = await startClientMetadataServer();
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  stack = await startStack(stage, { port, args: CONFIG, env: localEnv({ OAUTH_CIMD_TEST_ORIGIN: origin }) });
  // What a config that used to declare a resource leaves behind: Better Auth's row for it, there
  // before this Worker serves its first authorization (as after a deploy that removed it).
  await querySqlite(
    await localD1File(APP, stage),
    `INSERT INTO oauthResource (id, identifier, name, allowedScopes, disabled, createdAt, updatedAt)
     VALUES ('removed-row', '${REMOVED}', '${REMOVED}', '["tools:read"]', 0, 0, 0)`,
  );
  mcp = `${origin}/mcp`;
  issuer = new URL(`${stack.url}/auth/v1`);
  as = await discoverIssuer(stack.url);
  jwks = createRemoteJWKSet(new URL(as.jwks_uri as string));
  user = await signUpUser(stack.url, "Ada");
});

afterAll(async () => {
  await stack?.stop();
  await docs?.close();
});

const request = (clientId: string, redirectUri = REDIRECT_URI): Promise<AuthorizationRequest> =>
  authorizationRequest(as, { clientId, redirectUri, scope: "tools:read offline_access", resource: mcp });

/** Where authorize sends the signed-in browser: the consent page for a client it accepted. */
async function authorize(req: AuthorizationRequest): Promise<Response> {
  return user.browser.request(req.url.href);
}

/** A refusal at authorize: no redirect anywhere, an OAuth error naming the reason. */
async function expectRefused(clientId: string, reason: RegExp) {
  const res = await authorize(await request(clientId));
  const text = await res.text();
  expect(res.status, text).toBe(400);
  expect(res.headers.get("location")).toBeNull();
  expect(JSON.parse(text)).toMatchObject({ error: "invalid_client" });
  expect(text).toMatch(reason);
}

describe("authorization server metadata", () => {
  it("advertises client ID metadata documents and public clients, at both discovery URLs", async () => {
    expect(as.client_id_metadata_document_supported).toBe(true);
    expect(as.token_endpoint_auth_methods_supported).toContain("none");
    const root = await (await fetch(`${stack.url}/.well-known/oauth-authorization-server`)).json();
    expect(root).toMatchObject({ client_id_metadata_document_supported: true });
    expect(as.registration_endpoint, "DCR stays on").toBeTruthy();
  });
});

describe("a CIMD client with oauth4webapi", () => {
  it("authorizes with consent and redeems the code with PKCE for a token for the MCP server", async () => {
    const clientId = docs.serve("/agent.json", document("Agent Smith"));
    const client: oauth.Client = { client_id: clientId, token_endpoint_auth_method: "none" };
    const req = await request(clientId);
    const consent = await nextLocation(await authorize(req));
    expect(new URL(consent).pathname).toBe("/consent");

    // What the consent page shows: the document's name, and the URL whose host it displays.
    const shown = await user.browser.request(
      `/auth/v1/oauth2/public-client?${new URLSearchParams({ client_id: clientId })}`,
    );
    expect(await shown.json()).toMatchObject({ client_id: clientId, client_name: "Agent Smith" });

    const callback = new URL(await answerOnConsentPage(user.browser, consent));
    const params = oauth.validateAuthResponse(as, client, callback, req.state);
    const res = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      REDIRECT_URI,
      req.verifier,
      { ...insecure, additionalParameters: { resource: mcp } },
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, res);
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: issuer.href, audience: mcp });
    expect(payload.sub).toBe(user.id);
    expect(payload.client_id ?? payload.azp).toBe(clientId);

    // A wrong verifier is still refused for a CIMD client.
    const again = await request(clientId);
    const code = new URL(await nextLocation(await authorize(again)));
    const bad = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      oauth.validateAuthResponse(as, client, code, again.state),
      REDIRECT_URI,
      oauth.generateRandomCodeVerifier(),
      insecure,
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "invalid_grant" });
    // Cached by its Cache-Control (none: five minutes): one fetch for all of the above.
    expect(docs.hits("/agent.json")).toBe(1);
  });

  it("keeps DCR working next to it", async () => {
    const { client } = await registerClient(
      as,
      { client_name: "Registered", redirect_uris: ["https://client.example.com/cb"] },
      "198.51.100.7",
    );
    expect(client.client_id).not.toMatch(/^https?:/);
  });
});

describe("hostile client metadata documents are refused", () => {
  it("a document whose client_id is not its URL", async () => {
    const url = docs.serve("/impostor.json", () =>
      document("Impostor")("https://agent.example.com/client.json"),
    );
    await expectRefused(url, /client_id is not the URL/);
  });

  it("a redirect_uri the document does not list", async () => {
    const url = docs.serve("/listed.json", document("Listed"));
    // Better Auth sends the browser to its own error page, never to the unlisted URI.
    const sentTo = new URL(
      await nextLocation(await authorize(await request(url, "http://127.0.0.1:7777/elsewhere"))),
    );
    expect(`${sentTo.origin}${sentTo.pathname}`).toBe(`${stack.url}/auth/v1/error`);
    expect(sentTo.searchParams.get("error")).toBe("invalid_redirect");
    // The listed one works, so it is the redirect URI that was refused, not the document.
    expect(new URL(await nextLocation(await authorize(await request(url)))).pathname).toBe("/consent");
  });

  it("a document larger than 5 KiB, cut off while streaming", async () => {
    await expectRefused(`${docs.origin}/big.json`, /larger than 5120 bytes/);
  });

  it("a document that does not arrive within 3 s", async () => {
    const started = Date.now();
    await expectRefused(`${docs.origin}/slow.json`, /took too long/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a document URL that redirects", async () => {
    docs.serve("/good.json", document("Good"));
    await expectRefused(`${docs.origin}/redirect.json`, /redirect/);
    expect(docs.hits("/good.json"), "the redirect is not followed").toBe(0);
  });

  it("a client_id that is not https (http only on loopback in local mode)", async () => {
    await expectRefused("http://agent.example.com/client.json", /https|loopback/);
  });
});

describe("the config is authoritative for resources", () => {
  it("refuses with invalid_target a resource whose row outlived its removal from the config", async () => {
    const clientId = docs.serve("/resource-agent.json", document("Resource agent"));
    const client: oauth.Client = { client_id: clientId, token_endpoint_auth_method: "none" };
    // Authorized without a resource, then the removed one asked for at token (which a declared one may be).
    const req = await request(clientId);
    req.url.searchParams.delete("resource");
    const callback = new URL(
      await answerOnConsentPage(user.browser, await nextLocation(await authorize(req))),
    );
    const res = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      oauth.validateAuthResponse(as, client, callback, req.state),
      REDIRECT_URI,
      req.verifier,
      { ...insecure, additionalParameters: { resource: REMOVED } },
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_target" });

    // At authorize, Better Auth's own refusal: back to the client with invalid_target and iss.
    const atAuthorize = await request(clientId);
    atAuthorize.url.searchParams.set("resource", REMOVED);
    const back = new URL(await nextLocation(await authorize(atAuthorize)));
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    expect(back.searchParams.get("iss")).toBe(issuer.href);
    expect(() => oauth.validateAuthResponse(as, client, back, atAuthorize.state)).toThrow(
      expect.objectContaining({ error: "invalid_target" }),
    );
  });
});

describe("the MCP SDK client", () => {
  it("sees the advertisement and uses its metadata document URL as client_id instead of registering", async () => {
    // The SDK's half: it picks CIMD from authform's metadata and sends the URL (the whole flow, with
    // the document served from loopback through AUTHFORM_CIMD_LOOPBACK, is stack/mcp-resource-server's).
    const metadataUrl = "https://agent.example.com/mcp-client.json";
    const provider = new MemoryClientProvider(REDIRECT_URI, { clientMetadataUrl: metadataUrl });
    expect(await auth(provider, { serverUrl: mcp })).toBe("REDIRECT");
    expect(provider.client?.client_id).toBe(metadataUrl);
    expect(provider.authorizationUrl?.searchParams.get("client_id")).toBe(metadataUrl);
    expect(provider.authorizationUrl?.searchParams.get("resource")).toBe(mcp);
  });
});

async function nextLocation(res: Response): Promise<string> {
  const location = res.headers.get("location");
  if (location) return location;
  const body = (await res.json()) as { url?: string };
  expect(body.url, JSON.stringify(body)).toBeTruthy();
  return body.url as string;
}
