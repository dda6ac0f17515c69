/** The CORS middleware on its own: exactly the trusted origins, with credentials; the list from the plan or the URL vars. */
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { trustedOrigins } from "../../worker/auth/origins.ts";
import type { WorkerEnv } from "../../worker/env.ts";
import { cors } from "../../worker/middleware/cors.ts";
import type { AppEnv } from "../../worker/spec.ts";

const URLS = {
  BETTER_AUTH_URL: "https://api.example.com",
  ACCOUNT_URL: "https://account.example.com/",
  APP_URL: "https://example.com/app",
};

function app() {
  const hono = new Hono<AppEnv>();
  hono.use("/auth/v1/*", cors());
  hono.post("/auth/v1/thing", (c) => c.json({ ok: true }));
  return hono;
}

const request = (init: RequestInit, env: Partial<WorkerEnv> = URLS) =>
  app().request("https://api.example.com/auth/v1/thing", init, env as WorkerEnv);

describe("trustedOrigins", () => {
  it("takes the plan's list when there is one", () => {
    expect(
      trustedOrigins({ ...URLS, AUTHFORM_TRUSTED_ORIGINS: "https://a.example.com, https://b.example.com" }),
    ).toEqual(["https://a.example.com", "https://b.example.com"]);
  });

  it("falls back to the origins of BETTER_AUTH_URL, ACCOUNT_URL and APP_URL", () => {
    expect(trustedOrigins(URLS)).toEqual([
      "https://api.example.com",
      "https://account.example.com",
      "https://example.com",
    ]);
  });
});

describe("cors()", () => {
  it("grants a trusted origin, with credentials, on the actual response", async () => {
    const res = await request({ method: "POST", headers: { origin: "https://example.com" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://example.com");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("vary")).toContain("Origin");
  });

  it("grants nothing without an Origin, or to an origin that only looks close", async () => {
    for (const headers of [
      {} as Record<string, string>,
      { origin: "https://api.example.com.evil.net" },
      { origin: "http://api.example.com" },
    ]) {
      const res = await request({ method: "POST", headers });
      expect(res.status).toBe(200);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(res.headers.get("vary")).toContain("Origin");
    }
  });

  it("answers a trusted preflight with the methods and the headers it asked for", async () => {
    const res = await request({
      method: "OPTIONS",
      headers: {
        origin: "https://account.example.com",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, x-api-key",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://account.example.com");
    expect(res.headers.get("access-control-allow-headers")).toBe("content-type, x-api-key");
    expect(res.headers.get("access-control-max-age")).toBe("600");
  });

  it("refuses an untrusted preflight with a JSON reason and no grant", async () => {
    const res = await request({
      method: "OPTIONS",
      headers: { origin: "https://evil.example.net", "access-control-request-method": "POST" },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: "origin_not_allowed",
      message:
        "https://evil.example.net is not a trusted origin of this stack (BETTER_AUTH_URL, ACCOUNT_URL, APP_URL, runtime.trustedOrigins).",
    });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("lets a trusted origin read the D1 bookmark and send it back", async () => {
    const hono = new Hono<AppEnv>();
    hono.use("/auth/v1/*", cors());
    hono.get("/auth/v1/list-sessions", (c) => {
      c.header("x-d1-bookmark", "0000000c-00000001-00004f7b-1");
      return c.json([]);
    });
    const get = (origin: string) =>
      hono.request(
        "https://api.example.com/auth/v1/list-sessions",
        { headers: { origin } },
        URLS as WorkerEnv,
      );

    const trusted = await get("https://account.example.com");
    const exposed = trusted.headers.get("access-control-expose-headers")?.split(/,\s*/);
    expect(exposed).toContain("x-d1-bookmark");
    expect(exposed).toEqual(expect.arrayContaining(["set-auth-token", "set-auth-jwt"]));
    expect((await get("https://evil.example.net")).headers.get("access-control-expose-headers")).toBeNull();

    // A preflight that names the header, and one that names none (the default list), both allow it.
    const askedFor: Record<string, string>[] = [{ "access-control-request-headers": "x-d1-bookmark" }, {}];
    for (const asked of askedFor) {
      const res = await request({
        method: "OPTIONS",
        headers: { origin: "https://account.example.com", "access-control-request-method": "GET", ...asked },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-headers")?.split(/,\s*/)).toContain("x-d1-bookmark");
    }
  });
});
