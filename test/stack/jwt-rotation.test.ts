/**
 * Rotating BETTER_AUTH_SECRET with the jwt plugin on: with the old value kept as BETTER_AUTH_PREVIOUS_SECRET
 * for one run, /auth/v1/token keeps working (its private key is re-encrypted under the new secret), and
 * afterwards it works without the old secret at all; tokens signed before verify via the JWKS throughout.
 */
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { secretVersion } from "../../worker/auth/secrets.ts";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { localEnv, querySqlite, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("jwtrot");
const CONFIG = ["--config", "test/fixtures/jwt.config.ts"];
const OLD = "jwt-rotation-old-secret-0123456789-abcdefghij";
const NEW = "jwt-rotation-new-secret-9876543210-zyxwvutsrq";
const user = { name: "Rosa", email: "rosa@example.com", password: "correct horse battery" };
let stack: RunningStack | undefined;

afterAll(async () => {
  await stack?.stop();
});

async function run(env: Record<string, string>, port?: number): Promise<RunningStack> {
  await stack?.stop();
  stack = await startStack(stage, { args: CONFIG, env: localEnv(env), ...(port ? { port } : {}) });
  return stack;
}

async function signIn(url: string): Promise<Session> {
  const browser = new Session(url);
  const res = await browser.post("/auth/v1/sign-in/email", { email: user.email, password: user.password });
  expect(res.status, await res.clone().text()).toBe(200);
  return browser;
}

async function mint(browser: Session): Promise<string> {
  const res = await browser.post("/auth/v1/token", {});
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

async function verify(url: string, token: string) {
  return jwtVerify(token, createRemoteJWKSet(new URL(`${url}/auth/v1/jwks`)), { issuer: url, audience: url });
}

/** The envelope version each stored private key is encrypted under ($ba$<version>$...). */
async function keyVersions(): Promise<number[]> {
  const rows = await querySqlite<{ privateKey: string }>(
    await localD1File("jwt-test", stage),
    "SELECT privateKey FROM jwks",
  );
  return rows.map((r) => Number(/^\$ba\$(\d+)\$/.exec(JSON.parse(r.privateKey) as string)?.[1]));
}

describe("BETTER_AUTH_SECRET rotation with the jwt plugin", () => {
  it("keeps /auth/v1/token working through and after the overlap, and old tokens verifying", {
    timeout: 180_000,
  }, async () => {
    // 1. The old secret: a key is made (encrypted with it) and a token signed.
    const first = await run({ BETTER_AUTH_SECRET: OLD });
    const port = first.outputs.port;
    const oldBrowser = new Session(first.url);
    const signUp = await oldBrowser.post("/auth/v1/sign-up/email", user);
    expect(signUp.status).toBe(200);
    const fastPathToken = signUp.headers.get("set-auth-token") as string;
    const oldToken = await mint(oldBrowser);
    const kid = decodeProtectedHeader(oldToken).kid;
    expect(await keyVersions()).toEqual([secretVersion(OLD)]);

    // 2. The new secret, with the old one kept for the overlap.
    const second = await run({ BETTER_AUTH_SECRET: NEW, BETTER_AUTH_PREVIOUS_SECRET: OLD }, port);
    // Sessions are signed with the current secret only: a rotation signs browsers out.
    expect(await (await oldBrowser.get("/auth/v1/get-session")).json()).toBeNull();
    let browser = await signIn(second.url);
    const overlapToken = await mint(browser);
    // Same key (same kid, same public key), now encrypted under the new secret.
    expect(decodeProtectedHeader(overlapToken).kid).toBe(kid);
    expect(await keyVersions()).toEqual([secretVersion(NEW)]);
    expect((await verify(second.url, oldToken)).payload.email).toBe(user.email);
    // The same variable carries the fast path through the rotation.
    const me = await fetch(`${second.url}/api/v1/me`, {
      headers: { authorization: `Bearer ${fastPathToken}` },
    });
    expect(me.status).toBe(200);

    // 3. The old secret is gone: still no 500, and everything signed before still verifies.
    const third = await run({ BETTER_AUTH_SECRET: NEW }, port);
    browser = await signIn(third.url);
    const newToken = await mint(browser);
    expect(decodeProtectedHeader(newToken).kid).toBe(kid);
    for (const token of [oldToken, overlapToken, newToken]) {
      expect((await verify(third.url, token)).payload.sub).toBeTruthy();
    }
    const stale = await fetch(`${third.url}/api/v1/me`, {
      headers: { authorization: `Bearer ${fastPathToken}` },
    });
    expect(stale.status).toBe(401);
  });
});
