/**
 * On one stack of test/fixtures/anonymous.config.ts: guest sessions and POST
 * /auth/v1/upgrade-anonymous on workerd (the guest becomes a full user and keeps its id), and
 * `authform/client` against it as an app calls it: Better Auth's client with the config's plugins,
 * the fast-path token and /me, the system status, and authform's own upgrade-anonymous.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { AuthformApiError, createAuthformClient } from "../../src/client/index.ts";
import config from "../fixtures/anonymous.config.ts";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { querySqlite } from "../support/stack.ts";
import { stackPerFile } from "../support/stack-per-file.ts";

const APP = "anonymous-test";
const file = stackPerFile("anon", "test/fixtures/anonymous.config.ts");
let db: string;

interface AuthUser {
  id: string;
  email: string;
  name: string;
  isAnonymous: boolean;
}
interface SessionBody {
  session: { token: string };
  user: AuthUser;
}
interface ErrorBody {
  code: string;
  message: string;
}

beforeAll(async () => {
  db = await localD1File(APP, file.stage);
});

async function guest(): Promise<{ browser: Session; user: AuthUser; cookie: string }> {
  const browser = new Session(file.stack.url);
  const res = await browser.post("/auth/v1/sign-in/anonymous");
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  return { browser, user: ((await res.json()) as { user: AuthUser }).user, cookie };
}

async function currentSession(browser: Session): Promise<SessionBody | null> {
  return (await (await browser.get("/auth/v1/get-session")).json()) as SessionBody | null;
}

const rawPost = (browser: Session, body: string) =>
  browser.request("/auth/v1/upgrade-anonymous", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });

let taken = 0;
const freshEmail = (label: string) => `${label}-${++taken}@example.com`;

describe("anonymous sign-in", () => {
  it("gives a guest session with a placeholder email", async () => {
    const { browser, user } = await guest();
    expect(user.isAnonymous).toBe(true);
    expect(user.email).toMatch(/@anonymous\./);
    const session = await currentSession(browser);
    expect(session?.user).toMatchObject({ id: user.id, isAnonymous: true });
  });
});

describe("a guest's own-account endpoints", () => {
  it("refuses a guest a password by /set-password and an address by /change-email: it saves its account instead", async () => {
    const { browser, user } = await guest();
    const set = await browser.post("/auth/v1/set-password", { newPassword: "a guest's passphrase" });
    expect(set.status).toBe(403);
    expect(((await set.json()) as ErrorBody).code).toBe("GUESTS_SAVE_ACCOUNT_FIRST");
    const change = await browser.post("/auth/v1/change-email", {
      newEmail: `guest-${file.stage}@example.com`,
    });
    expect(change.status).toBe(403);
    expect(((await change.json()) as ErrorBody).code).toBe("GUESTS_SAVE_ACCOUNT_FIRST");
    expect(
      await querySqlite(
        db,
        `SELECT COUNT(*) AS n FROM account WHERE userId = '${user.id}' AND password IS NOT NULL`,
      ),
    ).toEqual([{ n: 0 }]);
    expect((await currentSession(browser))?.user).toMatchObject({
      id: user.id,
      email: user.email,
      isAnonymous: true,
    });
  });
});

describe("guest sign-in across sites (Better Auth 1.7.29's anonymous plugin checks it)", () => {
  const signInAnonymous = (headers: Record<string, string>, body = "{}") =>
    fetch(`${file.stack.url}/auth/v1/sign-in/anonymous`, {
      method: "POST",
      headers: { "cf-connecting-ip": new Session(file.stack.url).ip, ...headers },
      body,
      redirect: "manual",
    });
  const crossSiteNavigation = {
    "sec-fetch-site": "cross-site",
    "sec-fetch-mode": "navigate",
    "sec-fetch-dest": "document",
  };

  it("refuses a cross-site navigation and a foreign Origin: no guest session is planted (login CSRF)", async () => {
    for (const res of [
      // A form post from another site: authform takes JSON only.
      await signInAnonymous(
        { "content-type": "application/x-www-form-urlencoded", ...crossSiteNavigation },
        "",
      ),
      // The same navigation with a JSON body: Better Auth's fetch-metadata check.
      await signInAnonymous({ "content-type": "application/json", ...crossSiteNavigation }),
      await signInAnonymous({ "content-type": "application/json", origin: "https://evil.example.com" }),
    ]) {
      expect([403, 415]).toContain(res.status);
      expect(res.headers.getSetCookie().filter((c) => c.startsWith("better-auth."))).toEqual([]);
    }
    expect(
      (await signInAnonymous({ "content-type": "application/json", ...crossSiteNavigation })).status,
    ).toBe(403);
    // Same site, as the Account SPA sends it: a guest session.
    expect(
      (await signInAnonymous({ "content-type": "application/json", origin: file.stack.url })).status,
    ).toBe(200);
  });
});

describe("POST /auth/v1/upgrade-anonymous", () => {
  it("turns the guest into a full user with the same id, and get-session shows it at once", async () => {
    const { browser, user } = await guest();
    const email = freshEmail("ada");
    const res = await browser.post("/auth/v1/upgrade-anonymous", {
      email: email.toUpperCase(),
      password: "correct horse battery",
      name: "Ada",
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; user: AuthUser };
    expect(body.user).toMatchObject({ id: user.id, email, name: "Ada", isAnonymous: false });

    const session = await currentSession(browser);
    expect(session?.user).toMatchObject({ id: user.id, email, name: "Ada", isAnonymous: false });

    const [row] = await querySqlite<{ email: string; isAnonymous: number; emailVerified: number }>(
      db,
      `SELECT email, isAnonymous, emailVerified FROM user WHERE id = '${user.id}'`,
    );
    expect(row).toEqual({ email, isAnonymous: 0, emailVerified: 0 });
    const accounts = await querySqlite<{ providerId: string; password: string }>(
      db,
      `SELECT providerId, password FROM account WHERE userId = '${user.id}'`,
    );
    expect(accounts).toHaveLength(1);
    expect(accounts[0]?.providerId).toBe("credential");
    expect(accounts[0]?.password).not.toContain("correct horse battery");
  });

  it("hands out a fresh /api/v1 fast-path token carrying the new email", async () => {
    const { browser, user } = await guest();
    const email = freshEmail("tok");
    const res = await browser.post("/auth/v1/upgrade-anonymous", {
      email,
      password: "correct horse battery",
    });
    const token = res.headers.get("set-auth-token") as string;
    const me = await fetch(`${file.stack.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ userId: user.id, email });
  });

  it("signs in with the new email and password afterwards, as the same user", async () => {
    const { browser, user } = await guest();
    const email = freshEmail("grace");
    await browser.post("/auth/v1/upgrade-anonymous", { email, password: "correct horse battery" });
    await browser.post("/auth/v1/sign-out");

    const later = new Session(file.stack.url);
    const signIn = await later.post("/auth/v1/sign-in/email", { email, password: "correct horse battery" });
    expect(signIn.status).toBe(200);
    expect(((await signIn.json()) as { user: AuthUser }).user.id).toBe(user.id);
    // The guest's name is kept when the upgrade gives none.
    expect((await currentSession(later))?.user).toMatchObject({ name: "Anonymous", isAnonymous: false });
  });

  it("ends the guest's session: the cookie from before the upgrade no longer signs anyone in", async () => {
    const { browser, cookie } = await guest();
    const withGuestCookie = () => fetch(`${file.stack.url}/auth/v1/get-session`, { headers: { cookie } });
    expect(((await (await withGuestCookie()).json()) as SessionBody).user.isAnonymous).toBe(true);
    const res = await browser.post("/auth/v1/upgrade-anonymous", {
      email: freshEmail("fix"),
      password: "correct horse battery",
    });
    expect(res.status).toBe(200);
    expect(await (await withGuestCookie()).json()).toBeNull();
    expect((await currentSession(browser))?.user.isAnonymous).toBe(false);
  });

  it("refuses a user that is not anonymous, with a code that says so", async () => {
    const browser = new Session(file.stack.url);
    const email = freshEmail("full");
    await browser.post("/auth/v1/sign-up/email", { email, password: "correct horse battery", name: "Full" });
    const res = await browser.post("/auth/v1/upgrade-anonymous", {
      email: freshEmail("other"),
      password: "correct horse battery",
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).code).toBe("USER_IS_NOT_ANONYMOUS");
    expect((await currentSession(browser))?.user.email).toBe(email);
  });

  it("refuses a second upgrade of the same (now full) user", async () => {
    const { browser } = await guest();
    const email = freshEmail("twice");
    expect(
      (await browser.post("/auth/v1/upgrade-anonymous", { email, password: "correct horse battery" })).status,
    ).toBe(200);
    const again = await browser.post("/auth/v1/upgrade-anonymous", {
      email: freshEmail("twice"),
      password: "correct horse battery",
    });
    expect(again.status).toBe(403);
    expect((await currentSession(browser))?.user.email).toBe(email);
  });

  it("refuses an email another account has (any letter case), and leaves the guest a guest", async () => {
    const owner = new Session(file.stack.url);
    const email = freshEmail("owner");
    await owner.post("/auth/v1/sign-up/email", { email, password: "correct horse battery", name: "Owner" });
    const { browser, user } = await guest();
    const res = await browser.post("/auth/v1/upgrade-anonymous", {
      email: email.toUpperCase(),
      password: "correct horse battery",
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).code).toBe("EMAIL_ALREADY_IN_USE");
    expect((await currentSession(browser))?.user).toMatchObject({ id: user.id, isAnonymous: true });
    const accounts = await querySqlite(db, `SELECT id FROM account WHERE userId = '${user.id}'`);
    expect(accounts).toEqual([]);
  });

  it("refuses without a session (401)", async () => {
    const res = await new Session(file.stack.url).post("/auth/v1/upgrade-anonymous", {
      email: freshEmail("nobody"),
      password: "correct horse battery",
    });
    expect(res.status).toBe(401);
  });

  it("takes {} and an empty JSON body, but a guest with neither a proven email nor a passkey gets a 400 saying what is missing", async () => {
    const { browser, user } = await guest();
    for (const body of ["{}", ""]) {
      const res = await rawPost(browser, body);
      expect(res.status).toBe(400);
      const error = (await res.json()) as ErrorBody;
      expect(error.code).toBe("NOTHING_TO_SIGN_IN_WITH");
      expect(error.message).toContain("proven email");
      expect(error.message).toContain("passkey");
    }
    expect((await currentSession(browser))?.user).toMatchObject({ id: user.id, isAnonymous: true });
    const [row] = await querySqlite<{ isAnonymous: number }>(
      db,
      `SELECT isAnonymous FROM user WHERE id = '${user.id}'`,
    );
    expect(row?.isAnonymous).toBe(1);
  });

  it("refuses an email without a password (and the reverse), naming the missing field", async () => {
    const { browser, user } = await guest();
    const noPassword = await browser.post("/auth/v1/upgrade-anonymous", { email: freshEmail("half") });
    expect(noPassword.status).toBe(400);
    const missing = (await noPassword.json()) as ErrorBody;
    expect(missing.code).toBe("EMAIL_WITHOUT_PASSWORD");
    expect(missing.message).toContain("body.password");
    const noEmail = await browser.post("/auth/v1/upgrade-anonymous", { password: "correct horse battery" });
    expect(noEmail.status).toBe(400);
    const error = (await noEmail.json()) as ErrorBody;
    expect(error.code).toBe("PASSWORD_WITHOUT_EMAIL");
    expect(error.message).toContain("body.email");
    expect((await currentSession(browser))?.user).toMatchObject({ id: user.id, isAnonymous: true });
  });

  it("refuses a bad email, a short password and malformed JSON with 400s", async () => {
    const { browser } = await guest();
    const badEmail = await browser.post("/auth/v1/upgrade-anonymous", {
      email: "not-an-email",
      password: "correct horse battery",
    });
    expect(badEmail.status).toBe(400);
    expect(((await badEmail.json()) as ErrorBody).message).toContain("body.email");

    const short = await browser.post("/auth/v1/upgrade-anonymous", {
      email: freshEmail("short"),
      password: "abc",
    });
    expect(short.status).toBe(400);
    expect(((await short.json()) as ErrorBody).code).toBe("PASSWORD_TOO_SHORT");

    const malformed = await rawPost(browser, '{"email":');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: string }).error).toBe("bad_request");
  });
});

describe("Better Auth's own guest clean-up leaves an upgraded user alone", () => {
  it("signing in again, or anonymously, from the upgraded session deletes nothing", async () => {
    const { browser, user } = await guest();
    const email = freshEmail("keep");
    await browser.post("/auth/v1/upgrade-anonymous", { email, password: "correct horse battery" });

    // The anonymous plugin deletes the previous user after a sign-in from a guest session.
    const signIn = await browser.post("/auth/v1/sign-in/email", { email, password: "correct horse battery" });
    expect(signIn.status).toBe(200);
    expect(await querySqlite(db, `SELECT id FROM user WHERE id = '${user.id}'`)).toHaveLength(1);

    const another = await browser.post("/auth/v1/sign-in/anonymous");
    expect(another.status).toBe(200);
    expect(await querySqlite(db, `SELECT id FROM user WHERE id = '${user.id}'`)).toHaveLength(1);
  });

  it("delete-anonymous-user refuses an upgraded user", async () => {
    const { browser, user } = await guest();
    await browser.post("/auth/v1/upgrade-anonymous", {
      email: freshEmail("del"),
      password: "correct horse battery",
    });
    const res = await browser.post("/auth/v1/delete-anonymous-user");
    expect(res.status).toBe(403);
    expect(await querySqlite(db, `SELECT id FROM user WHERE id = '${user.id}'`)).toHaveLength(1);
  });

  it("whereas a guest who signs in to an existing account is deleted (Better Auth's default)", async () => {
    const email = freshEmail("existing");
    await new Session(file.stack.url).post("/auth/v1/sign-up/email", {
      email,
      password: "correct horse battery",
      name: "Existing",
    });
    const { browser, user } = await guest();
    const signIn = await browser.post("/auth/v1/sign-in/email", { email, password: "correct horse battery" });
    expect(signIn.status).toBe(200);
    expect(await querySqlite(db, `SELECT id FROM user WHERE id = '${user.id}'`)).toEqual([]);
  });
});

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
