/**
 * examples/mcp-server, protected by authform/mcp, on workerd on a loopback port, declared as a
 * resource of a local authform stack; the MCP TypeScript SDK's client connects to it as Claude or
 * Cursor would: a 401 sends it to the server's protected resource metadata, from there to authform,
 * where it registers (DCR), the user signs in and consents, and it calls a tool as that user.
 * A token authform issued for another declared resource opens nothing here. With a client ID
 * metadata document the SDK goes the same way without registering: its https document URL is
 * served from a loopback stand-in (AUTHFORM_CIMD_LOOPBACK), as a client's own host would serve it.
 */

import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClientMetadataServer, startClientMetadataServer } from "../support/client-metadata-server.ts";
import { type ExampleMcpServer, startExampleMcpServer } from "../support/example-mcp-server.ts";
import { MemoryClientProvider } from "../support/mcp-client-provider.ts";
import {
  authorizationRequest,
  authorizeWithConsent,
  discoverIssuer,
  registerClient,
} from "../support/oauth-browser.ts";
import { freePort, localEnv, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";
import { signUpUser, type TestUser } from "../support/users.ts";

const stage = uniqueStage("mcp-rs");
const CONFIG = ["--config", "test/fixtures/mcp-resource-server.config.ts"];
const REPORTS = "https://reports.example.com/api";
/** The CIMD client's document URL: https, as MCP clients require; its host is stood in for on loopback. */
const DOCUMENT_URL = "https://agent.example.com/mcp-client.json";
const CIMD_REDIRECT = "http://127.0.0.1:7781/oauth/callback";
const insecure = { [oauth.allowInsecureRequests]: true } as const;

let stack: RunningStack;
let server: ExampleMcpServer;
/** The example server's resource URL, as declared in the config. */
let resource: string;
let issuer: string;
let user: TestUser;
let documents: ClientMetadataServer;

beforeAll(async () => {
  const mcpPort = await freePort();
  resource = `http://127.0.0.1:${mcpPort}/mcp`;
  documents = await startClientMetadataServer();
  documents.serve("/mcp-client.json", () => ({
    client_id: DOCUMENT_URL,
    client_name: "Agent with a metadata document",
    redirect_uris: [CIMD_REDIRECT],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
  }));
  stack = await startStack(stage, {
    args: CONFIG,
    env: localEnv({
      MCP_RESOURCE_SERVER_URL: resource,
      AUTHFORM_CIMD_LOOPBACK: `https://agent.example.com=${documents.origin}`,
    }),
  });
  issuer = `${stack.url}/auth/v1`;
  server = await startExampleMcpServer(mcpPort, { AUTHFORM_ISSUER: issuer, MCP_RESOURCE: resource });
  user = await signUpUser(stack.url, "Hedy");
});

afterAll(async () => {
  await documents?.close();
  await server?.dispose();
  await stack?.stop();
});

/** The SDK's transport, with every request it makes written down as `METHOD url -> status`. */
function transportFor(provider: OAuthClientProvider, log: string[]) {
  return new StreamableHTTPClientTransport(new URL(resource), {
    authProvider: provider,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      log.push(`${init?.method ?? "GET"} ${url} -> ${res.status}`);
      return res;
    },
  });
}

const whoami = async (client: Client) => {
  const result = await client.callTool({ name: "whoami", arguments: {} });
  const [content] = result.content as { type: string; text: string }[];
  return JSON.parse(content?.text ?? "null") as { user?: string; client?: string; scopes?: string[] };
};

describe("the MCP SDK client against the example server", () => {
  const provider = new MemoryClientProvider("http://127.0.0.1:7780/oauth/callback", {
    clientName: "MCP client for the example server",
  });
  const log: string[] = [];

  it("is turned away with a 401, discovers authform from the server's metadata and registers", async () => {
    const client = new Client({ name: "test-client", version: "1.0.0" });
    await expect(client.connect(transportFor(provider, log))).rejects.toBeInstanceOf(UnauthorizedError);
    const origin = new URL(resource).origin;
    expect(log.slice(0, 4)).toEqual([
      `POST ${resource} -> 401`,
      `GET ${origin}/.well-known/oauth-protected-resource/mcp -> 200`,
      `GET ${stack.url}/.well-known/oauth-authorization-server/auth/v1 -> 200`,
      `POST ${stack.url}/auth/v1/oauth2/register -> 201`,
    ]);
    expect(provider.client?.client_id).toEqual(expect.any(String));
    const url = provider.authorizationUrl as URL;
    expect(url.href.startsWith(`${stack.url}/auth/v1/oauth2/authorize?`)).toBe(true);
    expect(url.searchParams.get("resource")).toBe(resource);
    // The scope the server's 401 named.
    expect(url.searchParams.get("scope")).toBe("tools:call");
  });

  it("after the user consents, calls whoami and sees that user's id, and echo", async () => {
    const callback = new URL(
      await authorizeWithConsent(user.browser, (provider.authorizationUrl as URL).href),
    );
    expect(callback.searchParams.get("iss")).toBe(issuer);
    const transport = transportFor(provider, log);
    await transport.finishAuth(callback.searchParams.get("code") as string);

    const client = new Client({ name: "test-client", version: "1.0.0" });
    await client.connect(transportFor(provider, log));
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name).sort()).toEqual(["echo", "whoami"]);
    expect(await whoami(client)).toEqual({
      user: user.id,
      client: (provider.client as { client_id: string }).client_id,
      scopes: ["tools:call"],
    });
    const echoed = await client.callTool({ name: "echo", arguments: { text: "hello" } });
    expect(echoed.content).toEqual([{ type: "text", text: "hello" }]);
    await client.close();
  });
});

describe("the MCP SDK client with a client ID metadata document", () => {
  const provider = new MemoryClientProvider(CIMD_REDIRECT, { clientMetadataUrl: DOCUMENT_URL });
  const log: string[] = [];

  it("discovers authform through the example server and sends its document URL as client_id, without registering", async () => {
    const client = new Client({ name: "cimd-client", version: "1.0.0" });
    await expect(client.connect(transportFor(provider, log))).rejects.toBeInstanceOf(UnauthorizedError);
    expect(log.some((line) => line.includes("/oauth2/register"))).toBe(false);
    const url = provider.authorizationUrl as URL;
    expect(url.searchParams.get("client_id")).toBe(DOCUMENT_URL);
    expect(url.searchParams.get("resource")).toBe(resource);
  });

  it("authform reads the document, the user consents, and the client calls whoami as that user", async () => {
    const before = documents.hits("/mcp-client.json");
    const callback = new URL(
      await authorizeWithConsent(user.browser, (provider.authorizationUrl as URL).href),
    );
    expect(documents.hits("/mcp-client.json")).toBeGreaterThan(before);
    expect(`${callback.origin}${callback.pathname}`).toBe(CIMD_REDIRECT);
    await transportFor(provider, log).finishAuth(callback.searchParams.get("code") as string);
    // Still no registration: the document URL is the client's identity from start to end.
    expect(log.some((line) => line.includes("/oauth2/register"))).toBe(false);

    const client = new Client({ name: "cimd-client", version: "1.0.0" });
    await client.connect(transportFor(provider, log));
    expect(await whoami(client)).toEqual({ user: user.id, client: DOCUMENT_URL, scopes: ["tools:call"] });
    await client.close();
  });
});

describe("a token for another declared resource", () => {
  it("is refused by the example server with 401 invalid_token", async () => {
    const as = await discoverIssuer(stack.url);
    const redirectUri = "https://client.example.com/callback";
    const rp = await registerClient(
      as,
      { client_name: "Reports", redirect_uris: [redirectUri] },
      "198.51.100.21",
    );
    const req = await authorizationRequest(as, {
      clientId: rp.client.client_id,
      redirectUri,
      scope: "reports:read tools:call",
      resource: REPORTS,
    });
    const callback = new URL(await authorizeWithConsent(user.browser, req.url.href));
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      rp.client,
      await oauth.authorizationCodeGrantRequest(
        as,
        rp.client,
        rp.clientAuth,
        oauth.validateAuthResponse(as, rp.client, callback, req.state),
        redirectUri,
        req.verifier,
        { ...insecure, additionalParameters: { resource: REPORTS } },
      ),
    );

    const res = await fetch(resource, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens.access_token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${new URL(resource).origin}/.well-known/oauth-protected-resource/mcp", scope="tools:call", error="invalid_token", error_description="the token is for another resource (aud)"`,
    );
  });
});
