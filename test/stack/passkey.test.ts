/**
 * Passkeys on workerd at the seed's paths: option endpoints, full registration and sign-in ceremonies
 * with a software authenticator (the seed's request bodies, as its frontend snippet sends them), and
 * the error paths. Browser ceremonies belong to the Account SPA's tests.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { querySqlite, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";
import {
  type CreationOptionsJSON,
  type RequestOptionsJSON,
  SoftAuthenticator,
} from "../support/webauthn-authenticator.ts";

const APP = "passkey-test";
const stage = uniqueStage("passkey");
const CONFIG = ["--config", "test/fixtures/passkey.config.ts"];
let stack: RunningStack;
let db: string;
let alice: { browser: Session; id: string; email: string };
let bob: { browser: Session; id: string; email: string };

interface ErrorBody {
  code?: string;
  message: string;
}
interface PasskeyRow {
  id: string;
  userId: string;
  credentialID: string;
  counter: number;
}

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  db = await localD1File(APP, stage);
  alice = await signUp("alice");
  bob = await signUp("bob");
});

afterAll(async () => {
  await stack?.stop();
});

async function signUp(name: string) {
  const browser = new Session(stack.url);
  const email = `${name}@example.com`;
  const res = await browser.post("/auth/v1/sign-up/email", {
    name,
    email,
    password: "correct horse battery",
  });
  expect(res.status).toBe(200);
  return { browser, email, id: ((await res.json()) as { user: { id: string } }).user.id };
}

/** The seed's step 1: `fetch(path, { method: 'POST', credentials: 'include' })`, no body. */
const seedOptions = (browser: Session, path: string) => browser.request(path, { method: "POST" });

async function registrationOptions(browser: Session): Promise<CreationOptionsJSON> {
  const res = await seedOptions(browser, "/auth/v1/passkey/register/options");
  expect(res.status).toBe(200);
  return (await res.json()) as CreationOptionsJSON;
}

async function authenticationOptions(browser: Session): Promise<RequestOptionsJSON> {
  const res = await seedOptions(browser, "/auth/v1/passkey/authenticate/options");
  expect(res.status).toBe(200);
  return (await res.json()) as RequestOptionsJSON;
}

/** Registers a new software passkey for a signed-in browser through the seed's paths. */
async function registerPasskey(browser: Session, fmt: "none" | "packed" = "none") {
  const authenticator = await SoftAuthenticator.create();
  const credential = await authenticator.register(await registrationOptions(browser), stack.url, { fmt });
  const res = await browser.post("/auth/v1/passkey/register/verify", credential);
  expect(res.status).toBe(200);
  return { authenticator, passkey: (await res.json()) as PasskeyRow };
}

const passkeyRows = (where: string) => querySqlite<PasskeyRow>(db, `SELECT * FROM passkey WHERE ${where}`);

async function expectClientError(res: Response, status?: number) {
  if (status) expect(res.status).toBe(status);
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.headers.get("content-type")).toContain("application/json");
  return (await res.json()) as ErrorBody;
}

describe("registration options (POST /auth/v1/passkey/register/options)", () => {
  it("need a session", async () => {
    await expectClientError(
      await seedOptions(new Session(stack.url), "/auth/v1/passkey/register/options"),
      401,
    );
  });

  it("give a challenge for the relying party localhost, named after APP_NAME, for the signed-in user", async () => {
    const res = await seedOptions(alice.browser, "/auth/v1/passkey/register/options");
    expect(res.status).toBe(200);
    const options = (await res.json()) as CreationOptionsJSON & {
      pubKeyCredParams: { alg: number }[];
      attestation: string;
    };
    expect(options.rp).toEqual({ id: "localhost", name: "Passkey Test" });
    expect(options.challenge).toMatch(/^[\w-]{16,}$/);
    expect(options.user.name).toBe(alice.email);
    expect(options.pubKeyCredParams.map((p) => p.alg)).toContain(-7);
    // The challenge is bound to this browser by a signed cookie the verify step reads back.
    expect(res.headers.getSetCookie().some((c) => c.startsWith("better-auth.better-auth-passkey="))).toBe(
      true,
    );
  });

  it("take authenticatorAttachment as JSON in the POST body (or in the query, as Better Auth does)", async () => {
    const byBody = await alice.browser.post("/auth/v1/passkey/register/options", {
      authenticatorAttachment: "cross-platform",
    });
    const byQuery = await seedOptions(
      alice.browser,
      "/auth/v1/passkey/register/options?authenticatorAttachment=platform",
    );
    for (const [res, attachment] of [
      [byBody, "cross-platform"],
      [byQuery, "platform"],
    ] as const) {
      expect(res.status).toBe(200);
      const options = (await res.json()) as { authenticatorSelection: { authenticatorAttachment?: string } };
      expect(options.authenticatorSelection.authenticatorAttachment).toBe(attachment);
    }
    const bad = await alice.browser.post("/auth/v1/passkey/register/options", {
      authenticatorAttachment: "usb",
    });
    await expectClientError(bad, 400);
  });
});

describe("the registration and sign-in ceremonies at the seed's paths", () => {
  it("register/verify takes the raw credential JSON and stores the passkey for the signed-in user", async () => {
    const { authenticator, passkey } = await registerPasskey(alice.browser, "packed");
    expect(passkey).toMatchObject({ userId: alice.id, credentialID: authenticator.id });
    const rows = await passkeyRows(`credentialID = '${authenticator.id}'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ userId: alice.id, counter: 0 });
  });

  it("signs in with the passkey: authenticate/options without a session, then authenticate/verify", async () => {
    const { authenticator } = await registerPasskey(alice.browser);
    const visitor = new Session(stack.url);
    const options = await authenticationOptions(visitor);
    expect(options.rpId).toBe("localhost");
    expect(options.allowCredentials ?? []).toEqual([]);

    const assertion = await authenticator.authenticate(options, stack.url);
    const res = await visitor.post("/auth/v1/passkey/authenticate/verify", assertion);
    expect(res.status).toBe(200);
    const session = (await (await visitor.get("/auth/v1/get-session")).json()) as { user: { id: string } };
    expect(session.user.id).toBe(alice.id);
    const [row] = await passkeyRows(`credentialID = '${authenticator.id}'`);
    expect(row?.counter).toBe(1);
  });

  it("refuses a replayed assertion and one signed for an old challenge", async () => {
    const { authenticator } = await registerPasskey(alice.browser);
    const visitor = new Session(stack.url);
    const assertion = await authenticator.authenticate(await authenticationOptions(visitor), stack.url);
    expect((await visitor.post("/auth/v1/passkey/authenticate/verify", assertion)).status).toBe(200);

    const replay = await visitor.post("/auth/v1/passkey/authenticate/verify", assertion);
    expect((await expectClientError(replay, 400)).code).toBe("CHALLENGE_NOT_FOUND");

    const other = new Session(stack.url);
    await authenticationOptions(other); // a fresh challenge the old assertion was not signed over
    const stale = await other.post("/auth/v1/passkey/authenticate/verify", assertion);
    expect((await expectClientError(stale, 400)).code).toBe("AUTHENTICATION_FAILED");
    expect(await (await other.get("/auth/v1/get-session")).json()).toBeNull();
  });

  it("refuses a credential made for another origin, and stores nothing", async () => {
    const authenticator = await SoftAuthenticator.create();
    const options = await registrationOptions(bob.browser);
    const credential = await authenticator.register(options, "https://evil.example");
    const res = await bob.browser.post("/auth/v1/passkey/register/verify", credential);
    expect((await expectClientError(res, 400)).code).toBe("FAILED_TO_VERIFY_REGISTRATION");
    expect(await passkeyRows(`credentialID = '${authenticator.id}'`)).toEqual([]);
  });

  it("refuses a sign-in with a passkey nobody registered", async () => {
    const stranger = await SoftAuthenticator.create();
    const visitor = new Session(stack.url);
    const assertion = await stranger.authenticate(await authenticationOptions(visitor), stack.url);
    const res = await visitor.post("/auth/v1/passkey/authenticate/verify", assertion);
    expect((await expectClientError(res, 401)).code).toBe("PASSKEY_NOT_FOUND");
  });
});

describe("garbage at the verify endpoints is a 4xx JSON answer, never a 500", () => {
  const garbage: [string, string][] = [
    ["an empty body", ""],
    ["{}", "{}"],
    ["a JSON string", '"hello"'],
    ["an array", "[1,2]"],
    ["a credential without a response", '{"id":"abc","rawId":"abc","type":"public-key"}'],
    [
      "a well-formed credential of nonsense",
      '{"id":"abc","rawId":"abc","type":"public-key","response":{"clientDataJSON":"AAAA","attestationObject":"AAAA","authenticatorData":"AAAA","signature":"AAAA"}}',
    ],
  ];

  for (const [verify, optionsPath] of [
    ["/auth/v1/passkey/register/verify", "/auth/v1/passkey/register/options"],
    ["/auth/v1/passkey/authenticate/verify", "/auth/v1/passkey/authenticate/options"],
    ["/auth/v1/passkey/verify-registration", "/auth/v1/passkey/generate-register-options"],
    ["/auth/v1/passkey/verify-authentication", "/auth/v1/passkey/generate-authenticate-options"],
  ] as const) {
    it.each(garbage)(`${verify}: %s, with a live challenge`, async (_label, body) => {
      // A live challenge cookie, so the request gets past "no challenge" to the credential itself.
      const native = optionsPath.includes("generate-");
      const opts = native
        ? await alice.browser.get(optionsPath)
        : await seedOptions(alice.browser, optionsPath);
      expect(opts.status).toBe(200);
      const res = await alice.browser.request(verify, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      await expectClientError(res);
    });
  }

  it("and {} without any challenge says INVALID_CREDENTIAL at the seed paths", async () => {
    const res = await new Session(stack.url).post("/auth/v1/passkey/register/verify", {});
    expect((await expectClientError(res, 400)).code).toBe("INVALID_CREDENTIAL");
  });
});

describe("managing passkeys", () => {
  it("lists only the signed-in user's passkeys, and needs a session", async () => {
    const { passkey } = await registerPasskey(bob.browser);
    const res = await bob.browser.get("/auth/v1/passkey/list-user-passkeys");
    expect(res.status).toBe(200);
    const list = (await res.json()) as PasskeyRow[];
    expect(list.map((p) => p.id)).toContain(passkey.id);
    expect(list.every((p) => p.userId === bob.id)).toBe(true);

    await expectClientError(await new Session(stack.url).get("/auth/v1/passkey/list-user-passkeys"), 401);
  });

  it("refuses to delete someone else's passkey, and deletes one's own", async () => {
    const { passkey } = await registerPasskey(alice.browser);
    const theft = await bob.browser.post("/auth/v1/passkey/delete-passkey", { id: passkey.id });
    expect(theft.status).toBe(401); // Better Auth's answer for "not yours"
    expect(await passkeyRows(`id = '${passkey.id}'`)).toHaveLength(1);

    const own = await alice.browser.post("/auth/v1/passkey/delete-passkey", { id: passkey.id });
    expect(own.status).toBe(200);
    expect(await passkeyRows(`id = '${passkey.id}'`)).toEqual([]);
  });
});

describe("Better Auth's native passkey paths", () => {
  it("still register and sign in, with Better Auth's { response } bodies", async () => {
    const authenticator = await SoftAuthenticator.create();
    const options = await alice.browser.get("/auth/v1/passkey/generate-register-options");
    expect(options.status).toBe(200);
    const credential = await authenticator.register((await options.json()) as CreationOptionsJSON, stack.url);
    const registered = await alice.browser.post("/auth/v1/passkey/verify-registration", {
      response: credential,
      name: "Native",
    });
    expect(registered.status).toBe(200);
    expect(await registered.json()).toMatchObject({ name: "Native", userId: alice.id });

    const visitor = new Session(stack.url);
    const authOptions = await visitor.get("/auth/v1/passkey/generate-authenticate-options");
    expect(authOptions.status).toBe(200);
    const assertion = await authenticator.authenticate(
      (await authOptions.json()) as RequestOptionsJSON,
      stack.url,
    );
    const res = await visitor.post("/auth/v1/passkey/verify-authentication", { response: assertion });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { id: string } }).user.id).toBe(alice.id);
  });

  it("the seed's verify paths also take Better Auth's { response, name } body", async () => {
    const authenticator = await SoftAuthenticator.create();
    const credential = await authenticator.register(await registrationOptions(bob.browser), stack.url);
    const res = await bob.browser.post("/auth/v1/passkey/register/verify", {
      response: credential,
      name: "Key",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: "Key", userId: bob.id });
  });
});

describe("deleting the account", () => {
  it("takes a passkey sign-in of the last 5 minutes instead of the password; a stale session alone is refused", async () => {
    const carol = await signUp("carol");
    const { authenticator } = await registerPasskey(carol.browser);
    await querySqlite(db, `UPDATE session SET createdAt = createdAt - 600000 WHERE userId = '${carol.id}'`);
    const stale = await carol.browser.post("/auth/v1/delete-user", {});
    expect(stale.status).toBe(403);
    expect(await stale.json()).toMatchObject({
      code: "PASSWORD_OR_FRESH_SIGN_IN_REQUIRED",
      message: "Enter your password, or sign in again (within the last 5 minutes), to delete your account.",
    });
    expect(await querySqlite(db, `SELECT id FROM user WHERE id = '${carol.id}'`)).toHaveLength(1);

    // The passkey again, in the same browser: a fresh sign-in, and the account goes without its password.
    const assertion = await authenticator.authenticate(await authenticationOptions(carol.browser), stack.url);
    expect((await carol.browser.post("/auth/v1/passkey/authenticate/verify", assertion)).status).toBe(200);
    expect((await carol.browser.post("/auth/v1/delete-user", {})).status).toBe(200);
    expect(await querySqlite(db, `SELECT id FROM user WHERE id = '${carol.id}'`)).toEqual([]);
    expect(await passkeyRows(`userId = '${carol.id}'`)).toEqual([]);
  });
});
