/**
 * authform/mcp's Hono middleware and metadata handler, driven with app.request(): the challenges an
 * MCP client reads (401 with resource_metadata and scope, 403 insufficient_scope, 400 for a token in
 * the query string) and the protected resource metadata document it then fetches.
 */
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AuthVariables,
  authenticateRequest,
  protectedResourceMetadataHandler,
  protectedResourceMetadataPath,
  protectedResourceMetadataUrl,
  requireAuth,
} from "../../src/mcp/index.ts";
import { startTokenIssuer, type TokenIssuer } from "../support/token-issuer.ts";

const RESOURCE = "https://api.example.com/mcp";
const PRM_URL = "https://api.example.com/.well-known/oauth-protected-resource/mcp";
let as: TokenIssuer;

beforeAll(async () => {
  as = await startTokenIssuer();
});
afterAll(() => as?.close());

function app(requiredScopes?: string[]) {
  const options = { issuer: as.issuer, resource: RESOURCE, requiredScopes };
  const metadata = protectedResourceMetadataHandler({
    resource: RESOURCE,
    issuer: as.issuer,
    scopesSupported: ["tools:read", "tools:call"],
    resourceName: "Example MCP",
  });
  return new Hono<{ Variables: AuthVariables }>()
    .get(protectedResourceMetadataPath(RESOURCE), (c) => metadata(c.req.raw))
    .use("/mcp", requireAuth(options))
    .post("/mcp", (c) => c.json({ sub: c.get("accessToken").subject, scopes: c.get("accessToken").scopes }));
}

const call = (token?: string, path = "/mcp", requiredScopes?: string[]) =>
  app(requiredScopes).request(`https://api.example.com${path}`, {
    method: "POST",
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe("requireAuth", () => {
  it("lets a good token through with its claims on the context", async () => {
    const res = await call(await as.sign({ aud: RESOURCE, sub: "user-9", scope: "tools:call" }), "/mcp", [
      "tools:call",
    ]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: "user-9", scopes: ["tools:call"] });
  });

  it("answers no token with 401 pointing at the resource's metadata, naming the scopes, without an error code", async () => {
    const res = await call(undefined, "/mcp", ["tools:read", "tools:call"]);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${PRM_URL}", scope="tools:read tools:call"`,
    );
    expect(res.headers.get("access-control-expose-headers")).toMatch(/WWW-Authenticate/i);
  });

  it("leaves scope out of the challenge when the route requires none", async () => {
    const res = await call();
    expect(res.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${PRM_URL}"`);
  });

  it("answers a bad token with 401 invalid_token", async () => {
    const res = await call(await as.sign({ aud: "https://reports.example.com/api" }));
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${PRM_URL}", error="invalid_token", error_description="the token is for another resource (aud)"`,
    );
    expect(await res.json()).toMatchObject({ error: "invalid_token" });
  });

  it("answers a token without the route's scope with 403 insufficient_scope", async () => {
    const res = await call(await as.sign({ aud: RESOURCE, scope: "tools:read" }), "/mcp", ["tools:call"]);
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${PRM_URL}", scope="tools:call", error="insufficient_scope", error_description="the token lacks scope tools:call"`,
    );
  });

  it("refuses a token in the query string with 400 invalid_request", async () => {
    const token = await as.sign({ aud: RESOURCE });
    const res = await call(undefined, `/mcp?access_token=${token}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("www-authenticate")).toMatch(/error="invalid_request"/);
  });

  it("checks its options when built, naming the one that is wrong", () => {
    expect(() => requireAuth({ issuer: "auth.example.com", resource: RESOURCE })).toThrow(
      /requireAuth requires options.issuer to be an absolute URL/,
    );
  });
});

describe("authenticateRequest (plain fetch handlers)", () => {
  it("gives the verified token or the response to send", async () => {
    const options = { issuer: as.issuer, resource: RESOURCE };
    const ok = await authenticateRequest(
      new Request(RESOURCE, { headers: { authorization: `Bearer ${await as.sign({ aud: RESOURCE })}` } }),
      options,
    );
    expect(ok).not.toBeInstanceOf(Response);
    const refused = await authenticateRequest(new Request(RESOURCE), options);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(401);
  });
});

describe("protected resource metadata", () => {
  it("lives at the path-inserted well-known URL of the resource (RFC 9728 §3.1)", () => {
    expect(protectedResourceMetadataPath(RESOURCE)).toBe("/.well-known/oauth-protected-resource/mcp");
    expect(protectedResourceMetadataPath("https://api.example.com")).toBe(
      "/.well-known/oauth-protected-resource",
    );
    expect(protectedResourceMetadataUrl(RESOURCE)).toBe(PRM_URL);
  });

  it("is served to any origin with the issuer as its authorization server", async () => {
    const res = await app().request(PRM_URL, { headers: { origin: "https://inspector.example" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await res.json()).toEqual({
      resource: RESOURCE,
      authorization_servers: [as.issuer],
      scopes_supported: ["tools:read", "tools:call"],
      bearer_methods_supported: ["header"],
      resource_name: "Example MCP",
    });
  });
});
