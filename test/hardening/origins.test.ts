/**
 * Cookies, origins and redirects on a local stack, from another site's point of view: session cookies
 * scripts cannot read, state-changing requests from foreign origins refused, no open redirects.
 * (Magic-link callbackURL and an unregistered OAuth redirect_uri are in test/stack/*.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const CONFIG = ["--config", "test/hardening/fixtures/hardening.config.ts"];
const stage = uniqueStage("origins");
const EVIL = "https://evil.example";
let stack: RunningStack;
let browser: Session;
const user = { name: "Olive", email: `olive-${stage}@example.com`, password: "correct horse battery" };

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  browser = new Session(stack.url);
});

afterAll(async () => {
  await stack?.stop();
});

async function errorOf(res: Response): Promise<string | undefined> {
  return ((await res.json()) as { code?: string }).code;
}

describe("the session cookie", () => {
  it("is HttpOnly and SameSite=Lax, and (on http://localhost) not Secure", async () => {
    const res = await browser.post("/auth/v1/sign-up/email", user);
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("better-auth.session_token="));
    expect(cookie, res.headers.getSetCookie().join("\n")).toBeDefined();
    const attributes = (cookie as string).split(";").map((a) => a.trim().toLowerCase());
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("samesite=lax");
    expect(attributes).toContain("path=/");
    expect(attributes).not.toContain("secure");
  });
});

describe("a state-changing request from another site", () => {
  it("cannot sign the user out (the session stays)", async () => {
    const res = await browser.request("/auth/v1/sign-out", {
      method: "POST",
      json: {},
      headers: { origin: EVIL },
    });
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toBe("INVALID_ORIGIN");
    const session = (await (await browser.get("/auth/v1/get-session")).json()) as { user: { email: string } };
    expect(session.user.email).toBe(user.email);
  });

  it("cannot change the user's name or password", async () => {
    const update = await browser.request("/auth/v1/update-user", {
      method: "POST",
      json: { name: "pwned" },
      headers: { origin: EVIL },
    });
    expect(update.status).toBe(403);
    const change = await browser.request("/auth/v1/change-password", {
      method: "POST",
      json: { currentPassword: user.password, newPassword: "attacker chose this" },
      headers: { origin: EVIL },
    });
    expect(change.status).toBe(403);
    const session = (await (await browser.get("/auth/v1/get-session")).json()) as { user: { name: string } };
    expect(session.user.name).toBe(user.name);
    const signIn = await new Session(stack.url).post("/auth/v1/sign-in/email", user);
    expect(signIn.status).toBe(200);
  });

  it("is refused with Origin: null (a sandboxed page or a file:// document) when it carries the cookie", async () => {
    const res = await browser.request("/auth/v1/update-user", {
      method: "POST",
      json: { name: "x" },
      headers: { origin: "null" },
    });
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toBe("MISSING_OR_NULL_ORIGIN");
  });

  it("cannot sign a victim in to the attacker's account (login CSRF)", async () => {
    const fromEvil = await fetch(`${stack.url}/auth/v1/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: EVIL },
      body: JSON.stringify(user),
    });
    expect(fromEvil.status).toBe(403);
    expect(await errorOf(fromEvil)).toBe("INVALID_ORIGIN");
    expect(fromEvil.headers.getSetCookie().filter((c) => c.includes("session_token"))).toEqual([]);

    const navigation = await fetch(`${stack.url}/auth/v1/sign-in/email`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "sec-fetch-site": "cross-site",
        "sec-fetch-mode": "navigate",
        "sec-fetch-dest": "document",
      },
      body: JSON.stringify(user),
    });
    expect(navigation.status).toBe(403);
    // Better Auth names it by what it checked first (the fetch metadata, or the missing Origin).
    expect(await errorOf(navigation)).toMatch(
      /^(CROSS_SITE_NAVIGATION_LOGIN_BLOCKED|MISSING_OR_NULL_ORIGIN)$/,
    );
    expect(navigation.headers.getSetCookie().filter((c) => c.includes("session_token"))).toEqual([]);
  });

  it("cannot create an API key or an organization for the user", async () => {
    for (const [path, body] of [
      ["/auth/v1/api-key/create", { name: "stolen" }],
      ["/auth/v1/organization/create", { name: "Evil Corp", slug: `evil-${stage}` }],
    ] as const) {
      const res = await browser.request(path, { method: "POST", json: body, headers: { origin: EVIL } });
      expect(res.status, path).toBe(403);
    }
    const keys = (await (await browser.get("/auth/v1/api-key/list")).json()) as unknown;
    const list = Array.isArray(keys) ? keys : ((keys as { apiKeys?: unknown[] }).apiKeys ?? []);
    expect(list).toEqual([]);
  });
});

describe("redirect targets", () => {
  const foreign = [
    EVIL,
    `${EVIL}/`,
    "//evil.example/steal",
    "https://localhost.evil.example/x",
    "javascript:alert(1)",
  ];

  it.each(foreign)("sign-up and sign-in refuse callbackURL %s", async (url) => {
    const signUp = await new Session(stack.url).post("/auth/v1/sign-up/email", {
      ...user,
      email: `cb-${Math.random().toString(36).slice(2)}-${stage}@example.com`,
      callbackURL: url,
    });
    expect(signUp.status, url).toBe(403);
    expect(await errorOf(signUp)).toBe("INVALID_CALLBACK_URL");
    const signIn = await new Session(stack.url).post("/auth/v1/sign-in/email", { ...user, callbackURL: url });
    expect(signIn.status, url).toBe(403);
  });

  it.each(foreign)("password reset refuses redirectTo %s", async (url) => {
    const res = await new Session(stack.url).post("/auth/v1/request-password-reset", {
      email: user.email,
      redirectTo: url,
    });
    expect(res.status, url).toBe(403);
    expect(await errorOf(res)).toBe("INVALID_REDIRECT_URL");
  });

  it("email verification never redirects to a foreign callbackURL", async () => {
    const res = await fetch(
      `${stack.url}/auth/v1/verify-email?token=not-a-token&callbackURL=${encodeURIComponent(`${EVIL}/x`)}`,
      { redirect: "manual" },
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers.get("location") ?? "").not.toContain("evil.example");
  });

  it("accepts the stack's own origin and relative paths", async () => {
    const res = await new Session(stack.url).post("/auth/v1/sign-in/email", {
      ...user,
      callbackURL: "/home",
    });
    expect(res.status).toBe(200);
    const own = await new Session(stack.url).post("/auth/v1/sign-in/email", {
      ...user,
      callbackURL: `${stack.url}/home`,
    });
    expect(own.status).toBe(200);
  });

  describe("OAuth redirect_uri", () => {
    const REGISTERED = "https://client.example.com/callback";
    let clientId: string;

    beforeAll(async () => {
      const res = await fetch(`${stack.url}/auth/v1/oauth2/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          client_name: "Near miss",
          redirect_uris: [REGISTERED],
          token_endpoint_auth_method: "none",
        }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      clientId = ((await res.json()) as { client_id: string }).client_id;
    });

    it.each([
      `${REGISTERED}/../../evil`,
      `${REGISTERED}/more`,
      `${REGISTERED}?next=https://evil.example`,
      "https://client.example.com.evil.example/callback",
      "https://client.example.com:8443/callback",
      "http://client.example.com/callback",
      "https://client.example.com/Callback",
    ])("matches exactly: never sends the browser to %s", async (uri) => {
      const url = new URL(`${stack.url}/auth/v1/oauth2/authorize`);
      url.search = new URLSearchParams({
        client_id: clientId,
        redirect_uri: uri,
        response_type: "code",
        scope: "openid",
        state: "s",
        code_challenge: "E9Melhoa2OwvFrEMTJguCHoeK9-3RwBA1P6vZ7KhXaI",
        code_challenge_method: "S256",
      }).toString();
      const res = await browser.request(url.href, { headers: { "sec-fetch-mode": "navigate" } });
      const target =
        res.headers.get("location") ?? ((await res.json().catch(() => ({}))) as { url?: string }).url ?? "";
      expect(target.startsWith(uri), `${res.status} → ${target}`).toBe(false);
      expect(target).not.toContain("evil.example");
    });
  });
});
