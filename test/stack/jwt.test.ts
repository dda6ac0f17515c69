/** Better Auth's jwt plugin on workerd: tokens from GET and POST /auth/v1/token, verified with jose against /auth/v1/jwks. */
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { querySqlite, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("jwt");
const CONFIG = ["--config", "test/fixtures/jwt.config.ts"];
let stack: RunningStack;
let browser: Session;
let userId: string;
const user = { name: "Hedy", email: "hedy@example.com", password: "frequency hopping" };

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  browser = new Session(stack.url);
  const res = await browser.post("/auth/v1/sign-up/email", user);
  expect(res.status).toBe(200);
  userId = ((await res.json()) as { user: { id: string } }).user.id;
});

afterAll(async () => {
  await stack?.stop();
});

const jwks = () => createRemoteJWKSet(new URL(`${stack.url}/auth/v1/jwks`));

async function mint(method: "GET" | "POST"): Promise<string> {
  const res =
    method === "GET" ? await browser.get("/auth/v1/token") : await browser.post("/auth/v1/token", {});
  expect(res.status).toBe(200);
  const { token } = (await res.json()) as { token: string };
  return token;
}

describe("jwt plugin", () => {
  it("serves a JWKS of public keys only", async () => {
    const res = await fetch(`${stack.url}/auth/v1/jwks`);
    expect(res.status).toBe(200);
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatchObject({ kid: expect.any(String), alg: "EdDSA", kty: "OKP", crv: "Ed25519" });
      expect(key).not.toHaveProperty("d");
    }
  });

  it.each(["GET", "POST"] as const)(
    "mints a token by %s that jose verifies against the JWKS",
    async (method) => {
      const token = await mint(method);
      const { payload, protectedHeader } = await jwtVerify(token, jwks(), {
        issuer: stack.url,
        audience: stack.url,
      });
      expect(payload.sub).toBe(userId);
      expect(payload.email).toBe(user.email);
      expect(protectedHeader.alg).toBe("EdDSA");
      expect((payload.exp as number) - (payload.iat as number)).toBe(15 * 60);
    },
  );

  it("keeps the signing key private: stored once, encrypted, and the JWKS names it", async () => {
    const token = await mint("GET");
    const rows = await querySqlite<{ id: string; privateKey: string }>(
      await localD1File("jwt-test", stage),
      "SELECT id, privateKey FROM jwks",
    );
    expect(rows).toHaveLength(1);
    expect(decodeProtectedHeader(token).kid).toBe(rows[0]?.id);
    expect(rows[0]?.privateKey).not.toContain('"d"');
  });

  it("refuses to mint without a session, by GET and by POST", async () => {
    const anonymous = new Session(stack.url);
    expect((await anonymous.get("/auth/v1/token")).status).toBe(401);
    expect((await anonymous.post("/auth/v1/token", {})).status).toBe(401);
    const noBody = await fetch(`${stack.url}/auth/v1/token`, {
      method: "POST",
      headers: { origin: stack.url },
    });
    expect(noBody.status).toBe(401);
  });

  it("a tampered token fails verification", async () => {
    const token = await mint("POST");
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: "someone-else" })).toString("base64url");
    await expect(jwtVerify(`${header}.${forged}.${signature}`, jwks())).rejects.toThrow(/signature/i);
    // And a genuine token does not verify for another issuer.
    await expect(jwtVerify(token, jwks(), { issuer: "https://elsewhere.example" })).rejects.toThrow(/iss/);
  });

  it("is separate from the /api/v1 fast path: its token is refused there, the fast-path token still works", async () => {
    // The seed: enabling the plugin does not change how the API authenticates; its tokens are for identity.
    const identity = await mint("POST");
    const refused = await fetch(`${stack.url}/api/v1/me`, {
      headers: { authorization: `Bearer ${identity}` },
    });
    expect(refused.status).toBe(401);
    const signIn = await new Session(stack.url).post("/auth/v1/sign-in/email", user);
    const fastPath = signIn.headers.get("set-auth-token") as string;
    expect(fastPath).not.toBe(identity);
    const me = await fetch(`${stack.url}/api/v1/me`, { headers: { authorization: `Bearer ${fastPath}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ userId, authMethod: "jwt" });
  });

  it("get-session does not sign a token on every call (no set-auth-jwt): /token is the way", async () => {
    const res = await browser.get("/auth/v1/get-session");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { id: string } }).user.id).toBe(userId);
    expect(res.headers.get("set-auth-jwt")).toBeNull();
  });
});
