/**
 * `authform/client` against a real local stack: Better Auth's client with the config's plugins, the
 * fast-path token and /me, the system status, and authform's own upgrade-anonymous, as an app calls them.
 */
import { describe, expect, it } from "vitest";
import { AuthformApiError, createAuthformClient } from "../../src/client/index.ts";
import config from "../fixtures/anonymous.config.ts";
import { Session } from "../support/http.ts";
import { stackPerFile } from "../support/stack-per-file.ts";

const file = stackPerFile("client", "test/fixtures/anonymous.config.ts");

/** A client whose requests keep cookies like a browser (Node's fetch has no cookie jar). */
function browserClient() {
  const browser = new Session(file.stack.url);
  const send: typeof fetch = async (input, init) => {
    if (input instanceof Request) {
      const body = input.method === "GET" ? undefined : await input.text();
      return browser.request(input.url, { method: input.method, headers: input.headers, body, ...init });
    }
    return browser.request(String(input), init ?? {});
  };
  return createAuthformClient({ baseURL: file.stack.url, config, fetch: send });
}

describe("authform/client on a local stack", () => {
  it("signs up and reads the session through Better Auth's client at /auth/v1", async () => {
    const auth = browserClient();
    const email = `client-${Date.now()}@example.com`;
    const up = await auth.signUp.email({ email, password: "correct horse battery staple", name: "Ada" });
    expect(up.error).toBeNull();
    expect(up.data?.user.email).toBe(email);
    const session = await auth.getSession();
    expect(session.data?.user.email).toBe(email);
  });

  it("me() answers through the fast path with a token it mints once and reuses", async () => {
    const auth = browserClient();
    const email = `me-${Date.now()}@example.com`;
    const up = await auth.signUp.email({ email, password: "correct horse battery staple", name: "Grace" });
    const first = await auth.token();
    expect(first.tokenType).toBe("Bearer");
    expect(first.expiresAt).toBeGreaterThan(Date.now() / 1000);
    const me = await auth.me();
    expect(me).toMatchObject({ userId: up.data?.user.id, email, authMethod: "jwt", isAnonymous: false });
    expect((await auth.token()).token).toBe(first.token);
  });

  it("after sign-out a new token is refused with the server's own code", async () => {
    const auth = browserClient();
    await auth.signUp.email({
      email: `out-${Date.now()}@example.com`,
      password: "correct horse battery staple",
      name: "Out",
    });
    await auth.signOut();
    auth.forgetToken();
    const refused = await auth.me().catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AuthformApiError);
    expect(refused).toMatchObject({ status: 401, code: "session_required" });
  });

  it("systemStatus() lists the config's plugins", async () => {
    const status = await browserClient().systemStatus();
    expect(status.plugins).toEqual(["anonymous", "upgradeAnonymous"]);
    expect(status.authBasePath).toBe("/auth/v1");
  });

  it("upgradeAnonymous() is authform's endpoint: a guest with no way in is told what is missing", async () => {
    const auth = browserClient();
    const guest = await auth.signIn.anonymous();
    expect(guest.data?.user.isAnonymous).toBe(true);
    const upgrade = await auth.upgradeAnonymous();
    expect(upgrade.data).toBeNull();
    expect(upgrade.error?.status).toBe(400);
  });
});
