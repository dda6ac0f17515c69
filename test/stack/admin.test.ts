/**
 * The admin plugin on workerd, over HTTP: the config's admins (verified addresses only) list and
 * search users, set roles, ban with a reason and an expiry, unban, revoke sessions, impersonate for
 * an hour at most and stop, and delete users; everyone else gets 403 at every admin endpoint, and
 * nobody makes themselves admin through their own profile. Taking an address off the config and
 * re-running the program takes the rights away.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { codeIn, lastEmailSeq, waitForEmail } from "../support/outbox.ts";
import { type RunningStack, startStack, uniqueStage } from "../support/stack.ts";
import { signUpUser, TEST_PASSWORD, type TestUser } from "../support/users.ts";

const stage = uniqueStage("admin");
const CONFIG = ["--config", "test/fixtures/admin.config.ts"];
const REMOVED = ["--config", "test/fixtures/admin-removed.config.ts"];
let stack: RunningStack;

afterAll(async () => {
  await stack?.stop();
});

interface ErrorBody {
  code?: string;
  message?: string;
}

interface AdminUser {
  id: string;
  email: string;
  role?: string | null;
  banned?: boolean | null;
  banReason?: string | null;
  banExpires?: string | null;
}

type Person = TestUser;

/** A password user named after the address's local part (test/support/users.ts). */
const signUp = (email: string): Promise<Person> =>
  signUpUser(stack.url, email.split("@")[0] as string, email);

/** Proves the address with a code from the outbox, as its owner would. */
async function verifyEmail(person: Person): Promise<void> {
  const after = await lastEmailSeq(stage);
  const sent = await person.browser.post("/auth/v1/email-otp/send-verification-otp", {
    email: person.email,
    type: "email-verification",
  });
  expect(sent.status, await sent.clone().text()).toBe(200);
  const otp = codeIn(await waitForEmail(stage, person.email, { after }));
  const verified = await person.browser.post("/auth/v1/email-otp/verify-email", { email: person.email, otp });
  expect(verified.status, await verified.clone().text()).toBe(200);
}

async function signIn(email: string): Promise<{ res: Response; browser: Session }> {
  const browser = new Session(stack.url);
  const res = await browser.post("/auth/v1/sign-in/email", { email, password: TEST_PASSWORD });
  return { res, browser };
}

async function sessionOf(browser: Session) {
  const res = await browser.get("/auth/v1/get-session");
  expect(res.status).toBe(200);
  return (await res.json()) as {
    user: { id: string; role?: string | null };
    session: { token: string; expiresAt: string; impersonatedBy?: string | null };
  } | null;
}

async function listUsers(browser: Session, query = ""): Promise<{ users: AdminUser[]; total: number }> {
  const res = await browser.get(`/auth/v1/admin/list-users${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { users: AdminUser[]; total: number };
}

async function getUser(browser: Session, id: string): Promise<Response> {
  return browser.get(`/auth/v1/admin/get-user?id=${encodeURIComponent(id)}`);
}

async function userAsAdminSees(id: string): Promise<AdminUser> {
  const res = await getUser(root.browser, id);
  expect(res.status).toBe(200);
  return (await res.json()) as AdminUser;
}

let root: Person;
let ops: Person;
let unverified: Person;
let alice: Person;

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  // Better Auth lowercases addresses; the config wrote Root@Example.com.
  root = await signUp("root@example.com");
  ops = await signUp("ops@example.com");
  unverified = await signUp("unverified@example.com");
  alice = await signUp("alice@example.com");
  await verifyEmail(root);
  await verifyEmail(ops);
  await verifyEmail(alice);
});

describe("an admin", () => {
  it("is a verified address from the config: its first admin request finds it holding the admin role", async () => {
    await listUsers(root.browser);
    expect((await sessionOf(root.browser))?.user.role).toBe("admin");
    expect((await sessionOf(ops.browser))?.user.role).toBe("admin");
    expect((await sessionOf(alice.browser))?.user.role).toBe("user");
  });

  it("lists and searches users", async () => {
    const all = await listUsers(root.browser, "?limit=100&sortBy=email&sortDirection=asc");
    const emails = all.users.map((u) => u.email);
    expect(emails).toEqual(expect.arrayContaining([root.email, ops.email, unverified.email, alice.email]));
    expect(all.total).toBeGreaterThanOrEqual(4);
    expect(emails).toEqual([...emails].sort());

    const found = await listUsers(
      root.browser,
      "?searchValue=alic&searchField=email&searchOperator=starts_with",
    );
    expect(found.users.map((u) => u.email)).toEqual([alice.email]);
    expect(found.total).toBe(1);
    const byName = await listUsers(root.browser, "?searchValue=unverif&searchField=name");
    expect(byName.users.map((u) => u.email)).toEqual([unverified.email]);

    const admins = await listUsers(root.browser, "?filterField=role&filterValue=admin");
    expect(admins.users.map((u) => u.email).sort()).toEqual([ops.email, root.email]);
  });

  it("sets a role the config names, and no other", async () => {
    const person = await signUp("role-target@example.com");
    const set = await root.browser.post("/auth/v1/admin/set-role", { userId: person.id, role: "support" });
    expect(set.status, await set.clone().text()).toBe(200);
    expect((await sessionOf(person.browser))?.user.role).toBe("support");

    const unknown = await root.browser.post("/auth/v1/admin/set-role", { userId: person.id, role: "owner" });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as ErrorBody).code).toBe("YOU_ARE_NOT_ALLOWED_TO_SET_NON_EXISTENT_VALUE");

    const back = await root.browser.post("/auth/v1/admin/set-role", { userId: person.id, role: "user" });
    expect(back.status).toBe(200);
    expect((await sessionOf(person.browser))?.user.role).toBe("user");
  });

  it("cannot give or take the admin role: only the config does", async () => {
    const person = await signUp("would-be-admin@example.com");
    const attempts: [string, unknown][] = [
      ["/auth/v1/admin/set-role", { userId: person.id, role: "admin" }],
      ["/auth/v1/admin/set-role", { userId: person.id, role: ["user", "admin"] }],
      ["/auth/v1/admin/set-role", { userId: person.id, role: "support,admin" }],
      ["/auth/v1/admin/update-user", { userId: person.id, data: { role: "admin" } }],
      [
        "/auth/v1/admin/create-user",
        { email: "made-admin@example.com", name: "x", password: TEST_PASSWORD, role: "admin" },
      ],
      [
        "/auth/v1/admin/create-user",
        { email: "made-admin@example.com", name: "x", password: TEST_PASSWORD, data: { role: "admin" } },
      ],
      // Taking it from a configured admin would be undone at their next request.
      ["/auth/v1/admin/set-role", { userId: ops.id, role: "user" }],
      ["/auth/v1/admin/update-user", { userId: ops.id, data: { role: "support" } }],
    ];
    for (const [path, body] of attempts) {
      const res = await root.browser.post(path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(403);
      expect(((await res.json()) as ErrorBody).code).toBe("ADMIN_ROLE_FROM_CONFIG");
    }
    expect((await sessionOf(person.browser))?.user.role).toBe("user");
    expect((await userAsAdminSees(ops.id)).role).toBe("admin");
    expect((await listUsers(root.browser, "?searchValue=made-admin")).total).toBe(0);
  });

  it("bans with a reason and an expiry: the user's sessions end, sign-in says banned, and unbanning lets them back", async () => {
    const person = await signUp("banned@example.com");
    // Verified, so a code sign-in below does not drop the (then unproven) password.
    await verifyEmail(person);
    const other = await signIn(person.email);
    expect(other.res.status).toBe(200);

    const before = Date.now();
    const ban = await root.browser.post("/auth/v1/admin/ban-user", {
      userId: person.id,
      banReason: "spam",
      banExpiresIn: 3600,
    });
    expect(ban.status, await ban.clone().text()).toBe(200);
    expect(await sessionOf(person.browser)).toBeNull();
    expect(await sessionOf(other.browser)).toBeNull();

    const seen = await userAsAdminSees(person.id);
    expect(seen.banned).toBe(true);
    expect(seen.banReason).toBe("spam");
    const expires = new Date(seen.banExpires ?? 0).getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 3600_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 3600_000 + 1000);

    const refused = await signIn(person.email);
    expect(refused.res.status).toBe(403);
    const body = (await refused.res.json()) as ErrorBody;
    expect(body.code).toBe("BANNED_USER");
    expect(body.message).toMatch(/banned/i);
    expect(await sessionOf(refused.browser)).toBeNull();
    // Another way in is refused the same way: a code by email.
    const after = await lastEmailSeq(stage);
    await new Session(stack.url).post("/auth/v1/email-otp/send-verification-otp", {
      email: person.email,
      type: "sign-in",
    });
    const otp = codeIn(await waitForEmail(stage, person.email, { after }));
    const byCode = await new Session(stack.url).post("/auth/v1/sign-in/email-otp", {
      email: person.email,
      otp,
    });
    expect(byCode.status).toBe(403);
    expect(((await byCode.json()) as ErrorBody).code).toBe("BANNED_USER");

    const unban = await root.browser.post("/auth/v1/admin/unban-user", { userId: person.id });
    expect(unban.status).toBe(200);
    expect((await userAsAdminSees(person.id)).banned).toBe(false);
    expect((await signIn(person.email)).res.status).toBe(200);
  });

  it("bans a user's API keys with them, until the ban is lifted", async () => {
    const person = await signUp("banned-keys@example.com");
    const created = await person.browser.post("/auth/v1/api-key/create", { name: "script" });
    expect(created.status).toBe(200);
    const { key } = (await created.json()) as { key: string };
    const me = () => fetch(`${stack.url}/api/v1/me`, { headers: { "x-api-key": key } });
    const keySession = () => fetch(`${stack.url}/auth/v1/get-session`, { headers: { "x-api-key": key } });
    expect((await me()).status).toBe(200);
    expect(((await (await keySession()).json()) as { user?: { id: string } } | null)?.user?.id).toBe(
      person.id,
    );

    const ban = await root.browser.post("/auth/v1/admin/ban-user", { userId: person.id, banReason: "abuse" });
    expect(ban.status).toBe(200);
    const refused = await me();
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error?: string }).error).toBe("api_key_owner_banned");
    const noSession = await keySession();
    expect(noSession.status).toBe(403);
    expect(((await noSession.json()) as ErrorBody).code).toBe("KEY_OWNER_BANNED");

    expect((await root.browser.post("/auth/v1/admin/unban-user", { userId: person.id })).status).toBe(200);
    expect((await me()).status).toBe(200);
    expect(((await (await keySession()).json()) as { user?: { id: string } } | null)?.user?.id).toBe(
      person.id,
    );
  });

  it("bans for a while: once the expiry passes the user signs in again", async () => {
    const person = await signUp("briefly-banned@example.com");
    const ban = await root.browser.post("/auth/v1/admin/ban-user", { userId: person.id, banExpiresIn: 1 });
    expect(ban.status).toBe(200);
    expect((await signIn(person.email)).res.status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const back = await signIn(person.email);
    expect(back.res.status, await back.res.clone().text()).toBe(200);
    expect((await userAsAdminSees(person.id)).banned).toBe(false);
  });

  it("lists a user's sessions and revokes one, then all", async () => {
    const person = await signUp("sessions@example.com");
    const second = (await signIn(person.email)).browser;
    const third = (await signIn(person.email)).browser;

    const listed = await root.browser.post("/auth/v1/admin/list-user-sessions", { userId: person.id });
    expect(listed.status).toBe(200);
    const { sessions } = (await listed.json()) as { sessions: { token: string; userId: string }[] };
    expect(sessions).toHaveLength(3);
    expect(new Set(sessions.map((s) => s.userId))).toEqual(new Set([person.id]));

    const token = (await sessionOf(second))?.session.token;
    const one = await root.browser.post("/auth/v1/admin/revoke-user-session", { sessionToken: token });
    expect(one.status).toBe(200);
    expect(await sessionOf(second)).toBeNull();
    expect(await sessionOf(third)).not.toBeNull();

    const all = await root.browser.post("/auth/v1/admin/revoke-user-sessions", { userId: person.id });
    expect(all.status).toBe(200);
    expect(await sessionOf(person.browser)).toBeNull();
    expect(await sessionOf(third)).toBeNull();
    expect(await sessionOf(root.browser)).not.toBeNull();
  });

  it("impersonates a user for an hour at most, marked as such, and stops", async () => {
    const person = await signUp("impersonated@example.com");
    const admin = (await signIn(root.email)).browser;
    const before = Date.now();
    const res = await admin.post("/auth/v1/admin/impersonate-user", { userId: person.id });
    expect(res.status, await res.clone().text()).toBe(200);

    const as = await sessionOf(admin);
    expect(as?.user.id).toBe(person.id);
    expect(as?.session.impersonatedBy).toBe(root.id);
    const expires = new Date(as?.session.expiresAt ?? 0).getTime();
    expect(expires).toBeGreaterThan(before + 3590_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 3600_000 + 1000);

    // The person's own list of sessions does not show the admin's.
    const own = await person.browser.get("/auth/v1/list-sessions");
    expect(((await own.json()) as unknown[]).length).toBe(1);
    // Borrowed rights are the user's, not the admin's.
    const asAdmin = await admin.get("/auth/v1/admin/list-users");
    expect(asAdmin.status).toBe(403);
    expect(((await asAdmin.json()) as ErrorBody).code).toBe("NOT_AN_ADMIN");

    const stop = await admin.post("/auth/v1/admin/stop-impersonating", {});
    expect(stop.status, await stop.clone().text()).toBe(200);
    const back = await sessionOf(admin);
    expect(back?.user.id).toBe(root.id);
    expect(back?.session.impersonatedBy ?? null).toBeNull();
    const sessions = await root.browser.post("/auth/v1/admin/list-user-sessions", { userId: person.id });
    expect(((await sessions.json()) as { sessions: unknown[] }).sessions).toHaveLength(1);
  });

  it("cannot impersonate another admin", async () => {
    const res = await root.browser.post("/auth/v1/admin/impersonate-user", { userId: ops.id });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).code).toBe("YOU_CANNOT_IMPERSONATE_ADMINS");
  });

  it("deletes a user: their sessions end and they cannot sign in", async () => {
    const person = await signUp("deleted@example.com");
    const res = await root.browser.post("/auth/v1/admin/remove-user", { userId: person.id });
    expect(res.status).toBe(200);
    expect(await sessionOf(person.browser)).toBeNull();
    expect((await signIn(person.email)).res.status).toBe(401);
    expect((await getUser(root.browser, person.id)).status).toBe(404);
  });
});

describe("everyone else", () => {
  /** Every admin endpoint, with a body that would work for an admin. */
  function adminCalls(target: Person): [string, unknown][] {
    return [
      ["GET /admin/list-users", undefined],
      [`GET /admin/get-user?id=${target.id}`, undefined],
      ["POST /admin/set-role", { userId: target.id, role: "support" }],
      ["POST /admin/ban-user", { userId: target.id, banReason: "x" }],
      ["POST /admin/unban-user", { userId: target.id }],
      ["POST /admin/list-user-sessions", { userId: target.id }],
      ["POST /admin/revoke-user-sessions", { userId: target.id }],
      ["POST /admin/revoke-user-session", { sessionToken: "x" }],
      ["POST /admin/impersonate-user", { userId: target.id }],
      ["POST /admin/update-user", { userId: target.id, data: { name: "changed" } }],
      ["POST /admin/set-user-password", { userId: target.id, newPassword: "a-new-password-1" }],
      ["POST /admin/create-user", { email: "created@example.com", name: "x", password: TEST_PASSWORD }],
      ["POST /admin/remove-user", { userId: target.id }],
    ];
  }

  async function call(browser: Session, line: string, body: unknown): Promise<Response> {
    const [method, path] = line.split(" ") as [string, string];
    return method === "GET" ? browser.get(`/auth/v1${path}`) : browser.post(`/auth/v1${path}`, body);
  }

  async function expectNoAdminRights(person: Person) {
    const target = await signUp(`target-of-${person.email.split("@")[0]}@example.com`);
    for (const [line, body] of adminCalls(target)) {
      const res = await call(person.browser, line, body);
      expect(res.status, `${person.email}: ${line}`).toBe(403);
      expect(((await res.json()) as ErrorBody).code).toBe("NOT_AN_ADMIN");
    }
    // Nothing happened to the target.
    const seen = await userAsAdminSees(target.id);
    expect(seen).toMatchObject({ role: "user", banned: false });
    expect(await sessionOf(target.browser)).not.toBeNull();
    expect((await signIn(target.email)).res.status).toBe(200);
    expect((await listUsers(root.browser, "?searchValue=created@")).total).toBe(0);
  }

  it("gets 403 at every admin endpoint, and changes nothing", async () => {
    await expectNoAdminRights(alice);
  });

  it("is told it lacks admin permissions when it asks, as admins are told they have them", async () => {
    const ask = (browser: Session) =>
      browser.post("/auth/v1/admin/has-permission", { permissions: { user: ["list", "ban"] } });
    const answer = await ask(alice.browser);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ success: false });
    expect(await (await ask(root.browser)).json()).toMatchObject({ success: true });
  });

  it("gets 401 there without a session", async () => {
    const res = await new Session(stack.url).get("/auth/v1/admin/list-users");
    expect(res.status).toBe(401);
  });

  it("is not an admin with an admin's address that it has not verified, until it does", async () => {
    await expectNoAdminRights(unverified);
    expect((await sessionOf(unverified.browser))?.user.role).toBe("user");
    await verifyEmail(unverified);
    await listUsers(unverified.browser);
    expect((await sessionOf(unverified.browser))?.user.role).toBe("admin");
  });

  it("cannot make itself admin through its own profile or at sign-up", async () => {
    const update = await alice.browser.post("/auth/v1/update-user", { role: "admin" });
    expect(update.status).toBe(400);
    const extra = await alice.browser.post("/auth/v1/update-user", {
      name: "Alice",
      role: "admin",
      banned: false,
    });
    expect(extra.status).toBe(400);
    expect((await sessionOf(alice.browser))?.user.role).toBe("user");
    expect((await alice.browser.get("/auth/v1/admin/list-users")).status).toBe(403);

    const browser = new Session(stack.url);
    const signUpRes = await browser.post("/auth/v1/sign-up/email", {
      name: "mallory",
      email: "mallory@example.com",
      password: TEST_PASSWORD,
      role: "admin",
    });
    expect(signUpRes.status).toBe(400);
    expect(await sessionOf(browser)).toBeNull();
    expect((await listUsers(root.browser, "?searchValue=mallory")).total).toBe(0);
  });

  it("cannot take an admin's address: signing up with it in other letters is refused", async () => {
    const res = await new Session(stack.url).post("/auth/v1/sign-up/email", {
      name: "x",
      email: "ROOT@example.com",
      password: TEST_PASSWORD,
    });
    expect(res.status).toBe(422);
  });
});

describe("taking an address off the config", () => {
  it("takes the rights away with the next run of the program; the others keep theirs", {
    timeout: 180_000,
  }, async () => {
    const port = stack.outputs.port;
    expect((await listUsers(ops.browser)).total).toBeGreaterThan(0);
    await stack.stop();
    stack = await startStack(stage, { args: REMOVED, port });

    // The deploy demoted ops before ops came back: the admin sees it at once, and so does ops'
    // session (an app reading the role from it), which still works, but not as an admin's.
    expect((await userAsAdminSees(ops.id)).role).toBe("user");
    expect((await sessionOf(ops.browser))?.user).toMatchObject({ id: ops.id, role: "user" });
    const res = await ops.browser.get("/auth/v1/admin/list-users");
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).code).toBe("NOT_AN_ADMIN");
    // And ops can now be impersonated like anyone else.
    const impersonate = await (await signIn(root.email)).browser.post("/auth/v1/admin/impersonate-user", {
      userId: ops.id,
    });
    expect(impersonate.status).toBe(200);
  });
});
