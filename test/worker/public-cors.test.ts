/** The public OAuth CORS grant: any origin gets `*` without credentials on discovery and the cookie-free OAuth endpoints; nothing else opens. */
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { WorkerEnv } from "../../worker/env.ts";
import { publicCors, publicCorsMethods } from "../../worker/middleware/public-cors.ts";
import type { AppEnv } from "../../worker/spec.ts";

const API = "https://api.example.com";
const ACCOUNT = "https://account.example.com";
const EVIL = "https://agent.example.net";
const ENV = { BETTER_AUTH_URL: API, ACCOUNT_URL: ACCOUNT, APP_URL: "https://example.com" } as WorkerEnv;

/** The app's CORS layout (worker/app.ts) over stand-in routes that answer like the real ones. */
function app() {
  const hono = new Hono<AppEnv>();
  hono.use("/auth/v1/*", publicCors("/auth/v1"));
  hono.use("/.well-known/*", publicCors("/auth/v1"));
  hono.post("/auth/v1/oauth2/token", (c) => c.json({ access_token: "a", token_type: "Bearer" }));
  hono.post("/auth/v1/oauth2/register", (c) => c.json({ client_id: "c" }, 201));
  hono.get("/auth/v1/oauth2/userinfo", (c) =>
    c.json({ error: "invalid_request" }, 401, { "WWW-Authenticate": 'Bearer error="invalid_token"' }),
  );
  hono.get("/auth/v1/oauth2/authorize", (c) => c.json({ redirect: true, url: `${ACCOUNT}/login` }));
  hono.get("/auth/v1/get-session", (c) => c.json({ user: { email: "ada@example.com" } }));
  hono.post("/auth/v1/sign-in/email", (c) => c.json({ token: "t" }));
  hono.get("/auth/v1/jwks", (c) => c.json({ keys: [] }));
  // The real discovery routes set `*` themselves (worker/auth/plugins/oauth-provider/discovery-routes.ts).
  hono.get("/.well-known/oauth-authorization-server/*", (c) =>
    c.json({ issuer: `${API}/auth/v1` }, 200, { "Access-Control-Allow-Origin": "*" }),
  );
  return hono;
}

const request = (path: string, init: RequestInit = {}) => app().request(`${API}${path}`, init, ENV);

const preflight = (path: string, origin: string, method = "POST", headers?: string) =>
  request(path, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": method,
      ...(headers ? { "access-control-request-headers": headers } : {}),
    },
  });

describe("publicCorsMethods", () => {
  it("names the discovery documents, with or without the issuer path, and the cookie-free OAuth endpoints", () => {
    expect(publicCorsMethods("/.well-known/oauth-authorization-server", "/auth/v1")).toBe("GET");
    expect(publicCorsMethods("/.well-known/oauth-authorization-server/auth/v1", "/auth/v1")).toBe("GET");
    expect(publicCorsMethods("/.well-known/openid-configuration", "/auth/v1")).toBe("GET");
    expect(publicCorsMethods("/.well-known/oauth-protected-resource/mcp", "/auth/v1")).toBe("GET");
    expect(publicCorsMethods("/auth/v1/oauth2/token", "/auth/v1")).toBe("POST");
    expect(publicCorsMethods("/auth/v1/oauth2/userinfo", "/auth/v1")).toBe("GET, POST");
    expect(publicCorsMethods("/auth/v1/jwks", "/auth/v1")).toBe("GET");
  });

  it.each([
    "/auth/v1/oauth2/authorize",
    "/auth/v1/oauth2/consent",
    "/auth/v1/oauth2/continue",
    "/auth/v1/oauth2/end-session",
    "/auth/v1/oauth2/get-clients",
    "/auth/v1/oauth2/token/",
    "/auth/v1/oauth2/tokens",
    "/auth/v1/token",
    "/auth/v1/get-session",
    "/oauth2/token",
    "/.well-known/oauth-authorization-server-x",
    "/.well-known/security.txt",
  ])("does not open %s", (path) => {
    expect(publicCorsMethods(path, "/auth/v1")).toBeUndefined();
  });
});

describe("publicCors()", () => {
  it("gives an untrusted origin `*` and no credentials on the token endpoint", async () => {
    const res = await request("/auth/v1/oauth2/token", { method: "POST", headers: { origin: EVIL } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(res.headers.get("vary")).toContain("Origin");
  });

  it("lets an untrusted origin read a 401's challenge from userinfo", async () => {
    const res = await request("/auth/v1/oauth2/userinfo", { headers: { origin: EVIL } });
    expect(res.status).toBe(401);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-expose-headers")?.split(/,\s*/)).toContain("www-authenticate");
    // The session's token headers are for trusted origins only.
    expect(res.headers.get("access-control-expose-headers")).not.toContain("set-auth-token");
  });

  it.each([
    ["GET", "/auth/v1/get-session"],
    ["POST", "/auth/v1/sign-in/email"],
    ["GET", "/auth/v1/oauth2/authorize"],
  ])("grants an untrusted origin nothing on %s %s", async (method, path) => {
    const res = await request(path, { method, headers: { origin: EVIL } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(res.headers.get("vary")).toContain("Origin");
  });

  it.each([
    ["/auth/v1/get-session", "GET"],
    ["/auth/v1/sign-in/email", "POST"],
    ["/auth/v1/oauth2/authorize", "GET"],
  ])("refuses an untrusted preflight for %s", async (path, method) => {
    const res = await preflight(path, EVIL, method, "content-type");
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("keeps the credentialed grant for a trusted origin on the public endpoints", async () => {
    for (const [method, path] of [
      ["POST", "/auth/v1/oauth2/token"],
      ["GET", "/auth/v1/jwks"],
      ["GET", "/.well-known/oauth-authorization-server/auth/v1"],
    ] as const) {
      const res = await request(path, { method, headers: { origin: ACCOUNT } });
      expect(res.headers.get("access-control-allow-origin"), path).toBe(ACCOUNT);
      expect(res.headers.get("access-control-allow-credentials"), path).toBe("true");
      expect(res.headers.get("vary"), path).toContain("Origin");
    }
    const challenge = await request("/auth/v1/oauth2/userinfo", { headers: { origin: ACCOUNT } });
    expect(challenge.headers.get("access-control-expose-headers")?.split(/,\s*/)).toContain(
      "www-authenticate",
    );
    const pre = await preflight("/auth/v1/oauth2/token", ACCOUNT, "POST", "content-type");
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe(ACCOUNT);
    expect(pre.headers.get("access-control-allow-credentials")).toBe("true");
  });

  it("answers an untrusted preflight on the token endpoint with the methods, headers and max-age it needs", async () => {
    const res = await preflight("/auth/v1/oauth2/token", EVIL, "POST", "content-type, dpop");
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(res.headers.get("access-control-allow-methods")).toBe("POST, OPTIONS");
    expect(res.headers.get("access-control-allow-headers")?.split(/,\s*/)).toEqual(
      expect.arrayContaining(["authorization", "content-type", "dpop"]),
    );
    expect(res.headers.get("access-control-max-age")).toBe("600");
    expect(res.headers.get("vary")).toContain("Origin");
  });

  it("answers the MCP SDK's discovery preflight (mcp-protocol-version) for GET only", async () => {
    const res = await preflight(
      "/.well-known/oauth-authorization-server/auth/v1",
      EVIL,
      "GET",
      "mcp-protocol-version",
    );
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toBe("GET, OPTIONS");
    expect(res.headers.get("access-control-allow-headers")?.split(/,\s*/)).toContain("mcp-protocol-version");
  });

  it("keeps discovery's `*` for a request with no Origin, and adds it for an untrusted one", async () => {
    const plain = await request("/.well-known/oauth-authorization-server/auth/v1");
    expect(plain.headers.get("access-control-allow-origin")).toBe("*");
    const cross = await request("/.well-known/oauth-authorization-server/auth/v1", {
      headers: { origin: EVIL },
    });
    expect(cross.headers.get("access-control-allow-origin")).toBe("*");
    expect(cross.headers.get("access-control-allow-credentials")).toBeNull();
    expect(cross.headers.get("vary")).toContain("Origin");
  });

  it("treats an opaque `null` origin (sandboxed frame, file://) as any other untrusted origin", async () => {
    const res = await request("/auth/v1/oauth2/register", { method: "POST", headers: { origin: "null" } });
    expect(res.status).toBe(201);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });
});
