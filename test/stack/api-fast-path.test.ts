/** /api/v1 on workerd: the fast-path token from sign-in, and the three ways a request authenticates. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("api");
const CONFIG = ["--config", "test/fixtures/api.config.ts"];
let stack: RunningStack;
let browser: Session;
let token: string;
let userId: string;

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  browser = new Session(stack.url);
  const res = await browser.post("/auth/v1/sign-up/email", {
    name: "Grace",
    email: "grace@example.com",
    password: "correct horse battery",
  });
  expect(res.status).toBe(200);
  userId = ((await res.json()) as { user: { id: string } }).user.id;
  token = res.headers.get("set-auth-token") as string;
});

afterAll(async () => {
  await stack?.stop();
});

const me = (headers: Record<string, string>) => fetch(`${stack.url}/api/v1/me`, { headers });

describe("/api/v1", () => {
  it("hands out a fast-path token when a session is created, living as long as auth.jwt says", async () => {
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString());
    expect(claims).toMatchObject({ sub: userId, email: "grace@example.com", iss: stack.url, aud: stack.url });
    expect(claims.exp - claims.iat).toBe(300);
    const signIn = await new Session(stack.url).post("/auth/v1/sign-in/email", {
      email: "grace@example.com",
      password: "correct horse battery",
    });
    expect(signIn.headers.get("set-auth-token")).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it("authenticates /me by Bearer token", async () => {
    const res = await me({ authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      userId,
      orgId: null,
      roles: [],
      authMethod: "jwt",
      email: "grace@example.com",
      name: "Grace",
      isAnonymous: false,
    });
  });

  it("authenticates /me by session cookie", async () => {
    const res = await browser.get("/api/v1/me");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ userId, authMethod: "session" });
  });

  it("answers 401 with a reason for no credentials, a bad token and a bad cookie — never a fall-through", async () => {
    const none = await me({});
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: "authentication_required" });

    const [h, p] = token.split(".");
    const tampered = await me({ authorization: `Bearer ${h}.${p}x.AAAA` });
    expect(tampered.status).toBe(401);

    const notJwt = await me({ authorization: "Bearer not-a-jwt" });
    expect(notJwt.status).toBe(401);
    expect(await notJwt.json()).toMatchObject({ error: "token_malformed" });

    // A bad Bearer token with a valid cookie is still refused: the bad credential is not skipped.
    const mixed = await browser.request("/api/v1/me", { headers: { authorization: "Bearer nope" } });
    expect(mixed.status).toBe(401);

    const badCookie = await me({ cookie: "better-auth.session_token=forged.value" });
    expect(badCookie.status).toBe(401);
    expect(await badCookie.json()).toMatchObject({ error: "session_invalid" });

    const basic = await me({ authorization: "Basic Zm9vOmJhcg==" });
    expect(basic.status).toBe(401);
  });

  it("mints a fresh token from a session, and only from a session", async () => {
    const fresh = await browser.post("/api/v1/token");
    expect(fresh.status).toBe(200);
    const body = (await fresh.json()) as { token: string; tokenType: string; expiresAt: number };
    expect(body.tokenType).toBe("Bearer");
    expect(body.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect((await me({ authorization: `Bearer ${body.token}` })).status).toBe(200);

    const anonymous = await fetch(`${stack.url}/api/v1/token`, { method: "POST" });
    expect(anonymous.status).toBe(401);
    const byToken = await fetch(`${stack.url}/api/v1/token`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(byToken.status).toBe(401);
  });

  it("keeps the token valid after sign-out until it expires, but the cookie dies at once", async () => {
    const session = new Session(stack.url);
    const signIn = await session.post("/auth/v1/sign-in/email", {
      email: "grace@example.com",
      password: "correct horse battery",
    });
    const short = signIn.headers.get("set-auth-token") as string;
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    await session.post("/auth/v1/sign-out");
    expect((await me({ cookie })).status).toBe(401);
    // Documented trade-off of a stateless token: it lives out its short lifetime.
    expect((await me({ authorization: `Bearer ${short}` })).status).toBe(200);
  });

  it("keeps system routes public", async () => {
    expect((await fetch(`${stack.url}/api/v1/system/status`)).status).toBe(200);
  });
});
