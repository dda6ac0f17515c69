/** Rotating BETTER_AUTH_SECRET: fast-path tokens of the old secret verify only while it is kept as the previous one. */
import { describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { localEnv, startStack, uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("rotate");
const OLD = "old-secret-old-secret-old-secret-0001";
const NEW = "new-secret-new-secret-new-secret-0002";

async function meStatus(url: string, token: string) {
  const res = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as { error?: string } };
}

describe("secret rotation", () => {
  it("keeps old tokens valid through the overlap, then refuses them", async () => {
    let stack = await startStack(stage, { env: localEnv({ BETTER_AUTH_SECRET: OLD }) });
    const signUp = await new Session(stack.url).post("/auth/v1/sign-up/email", {
      name: "Rot",
      email: "rot@example.com",
      password: "correct horse battery",
    });
    const oldToken = signUp.headers.get("set-auth-token") as string;
    expect((await meStatus(stack.url, oldToken)).status).toBe(200);
    await stack.stop();

    stack = await startStack(stage, {
      port: stack.outputs.port,
      env: localEnv({ BETTER_AUTH_SECRET: NEW, AUTHFORM_JWT_PREVIOUS_SECRET: OLD }),
    });
    expect((await meStatus(stack.url, oldToken)).status).toBe(200);
    const signIn = await new Session(stack.url).post("/auth/v1/sign-in/email", {
      email: "rot@example.com",
      password: "correct horse battery",
    });
    const newToken = signIn.headers.get("set-auth-token") as string;
    expect(newToken.split(".")[0]).not.toBe(oldToken.split(".")[0]); // a different kid
    await stack.stop();

    stack = await startStack(stage, { port: stack.outputs.port, env: localEnv({ BETTER_AUTH_SECRET: NEW }) });
    expect(await meStatus(stack.url, oldToken)).toEqual({
      status: 401,
      body: expect.objectContaining({ error: "token_key_unknown" }),
    });
    expect((await meStatus(stack.url, newToken)).status).toBe(200);
    await stack.stop();
  });
});
