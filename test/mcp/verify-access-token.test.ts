/**
 * authform/mcp's verifyAccessToken against real ES256 tokens and a loopback issuer: what a resource
 * server accepts and refuses, and how it finds and refreshes the issuer's keys.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { AccessTokenError, MissingAccessTokenError, verifyAccessToken } from "../../src/mcp/index.ts";
import { startTokenIssuer, type TokenIssuer } from "../support/token-issuer.ts";

const RESOURCE = "https://api.example.com/mcp";
let as: TokenIssuer;
let options: { issuer: string; resource: string };

beforeAll(async () => {
  as = await startTokenIssuer();
  options = { issuer: as.issuer, resource: RESOURCE };
});
afterAll(() => as?.close());
afterEach(() => {
  vi.useRealTimers();
});

const bearer = (token: string, url = "https://api.example.com/mcp") =>
  new Request(url, { method: "POST", headers: { authorization: `Bearer ${token}` } });

/** The AccessTokenError a verification fails with. */
async function refusal(input: Request | string, extra: object = {}): Promise<AccessTokenError> {
  const error = await verifyAccessToken(input, { ...options, ...extra }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AccessTokenError);
  return error as AccessTokenError;
}

describe("verifyAccessToken", () => {
  it("accepts a token for this resource, finding the keys through the issuer's metadata", async () => {
    const token = await as.sign({
      aud: RESOURCE,
      sub: "user-42",
      azp: "client-7",
      scope: "tools:read tools:call",
    });
    const verified = await verifyAccessToken(bearer(token), { ...options, requiredScopes: ["tools:call"] });
    expect(verified).toMatchObject({
      token,
      subject: "user-42",
      clientId: "client-7",
      scopes: ["tools:read", "tools:call"],
    });
    expect(verified.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(as.hits("/.well-known/oauth-authorization-server/auth/v1")).toBe(1);
    // Keys and metadata are remembered: a second request fetches nothing.
    const jwksFetches = as.hits("/auth/v1/jwks");
    await verifyAccessToken(await as.sign({ aud: RESOURCE }), options);
    expect(as.hits("/auth/v1/jwks")).toBe(jwksFetches);
    expect(as.hits("/.well-known/oauth-authorization-server/auth/v1")).toBe(1);
  });

  it("accepts a token whose aud lists this resource among others", async () => {
    const token = await as.sign({ aud: ["https://other.example.com", RESOURCE] });
    expect((await verifyAccessToken(token, options)).subject).toBe("user-1");
  });

  it("refuses a token for another resource (aud), as invalid_token", async () => {
    const error = await refusal(await as.sign({ aud: "https://reports.example.com/api" }));
    expect(error).toMatchObject({ code: "invalid_token", status: 401 });
    expect(error.description).toMatch(/another resource/);
  });

  it("refuses a token from another issuer (iss)", async () => {
    const error = await refusal(await as.sign({ aud: RESOURCE, iss: "https://evil.example.com/auth/v1" }));
    expect(error).toMatchObject({ code: "invalid_token" });
    expect(error.description).toMatch(/another issuer/);
  });

  it("refuses an expired token", async () => {
    const error = await refusal(await as.sign({ aud: RESOURCE, exp: Math.floor(Date.now() / 1000) - 120 }));
    expect(error).toMatchObject({ code: "invalid_token", description: "the token has expired" });
  });

  it("refuses a token whose signature was tampered with", async () => {
    const token = await as.sign({ aud: RESOURCE, sub: "user-1" });
    const [header, , signature] = token.split(".");
    const forged = Buffer.from(
      JSON.stringify({ iss: as.issuer, aud: RESOURCE, sub: "admin", exp: 9e9 }),
    ).toString("base64url");
    expect(await refusal(`${header}.${forged}.${signature}`)).toMatchObject({ code: "invalid_token" });
    expect(await refusal("not-a-jwt")).toMatchObject({ code: "invalid_token" });
  });

  it("refuses a token without a required scope with 403 insufficient_scope, naming the scopes needed", async () => {
    const error = await refusal(await as.sign({ aud: RESOURCE, scope: "tools:read" }), {
      requiredScopes: ["tools:read", "tools:call"],
    });
    expect(error).toMatchObject({
      code: "insufficient_scope",
      status: 403,
      scopes: ["tools:read", "tools:call"],
    });
    expect(error.description).toBe("the token lacks scope tools:call");
  });

  it("refuses a token in the query string, even with a good one in the header", async () => {
    const token = await as.sign({ aud: RESOURCE });
    const error = await refusal(bearer(token, `https://api.example.com/mcp?access_token=${token}`));
    expect(error).toMatchObject({ code: "invalid_request", status: 400 });
  });

  it("tells a request without a token apart, and refuses a header that is not Bearer", async () => {
    await expect(verifyAccessToken(new Request(RESOURCE), options)).rejects.toBeInstanceOf(
      MissingAccessTokenError,
    );
    const basic = new Request(RESOURCE, { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(await refusal(basic)).toMatchObject({ code: "invalid_request" });
  });

  it("fetches the keys again when a token names a new key id (key rotation)", async () => {
    await verifyAccessToken(await as.sign({ aud: RESOURCE }), options);
    const before = as.hits("/auth/v1/jwks");
    await as.rotate();
    const rotated = await as.sign({ aud: RESOURCE, sub: "after-rotation" });
    // Past the remote key set's 30 s cooldown since the last fetch.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 31_000 });
    expect((await verifyAccessToken(rotated, options)).subject).toBe("after-rotation");
    expect(as.hits("/auth/v1/jwks")).toBe(before + 1);
  });

  it("fails loudly, naming both, when the issuer's metadata names another issuer (a misconfigured issuer)", async () => {
    const token = await as.sign({ aud: RESOURCE });
    await expect(verifyAccessToken(token, { ...options, issuer: `${as.issuer}/` })).rejects.toThrow(
      `names issuer ${as.issuer}, not ${as.issuer}/`,
    );
  });

  it("takes the JWKS URL given instead of discovering it", async () => {
    const other = await startTokenIssuer();
    try {
      const token = await other.sign({ aud: RESOURCE });
      const verified = await verifyAccessToken(token, {
        issuer: other.issuer,
        resource: RESOURCE,
        jwksUrl: other.jwksUrl,
      });
      expect(verified.subject).toBe("user-1");
      expect(other.hits("/.well-known/oauth-authorization-server/auth/v1")).toBe(0);
      // A key of another issuer does not verify this issuer's tokens.
      expect(await refusal(token, { jwksUrl: as.jwksUrl, issuer: other.issuer })).toMatchObject({
        code: "invalid_token",
      });
    } finally {
      await other.close();
    }
  });
});
