/**
 * The admin API at /api/v1/admin/*, played by an attacker as much as by an admin: only a config
 * admin's session mints admin-scoped keys (a forged `permissions` in a create request is refused),
 * a read key cannot ban, a key stops the moment its owner stops being a config admin (here: the
 * address loses its verification) or is banned, concurrent bans and unbans leave a consistent user,
 * and every change lands in the audit log with the key's owner as actor.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { codeIn, lastEmailSeq, waitForEmail } from "../support/outbox.ts";
import { querySqlite } from "../support/stack.ts";
import { stackPerFile } from "../support/stack-per-file.ts";
import { signUpUser, TEST_PASSWORD, type TestUser } from "../support/users.ts";

const file = stackPerFile("admin-api", "test/fixtures/admin.config.ts");

interface AdminUser {
  id: string;
  email: string;
  role: string | null;
  banned: boolean;
  banReason: string | null;
  banExpires: string | null;
}

interface AuditEntry {
  type: string;
  userId: string;
  actorId: string;
  detail: Record<string, unknown> | null;
}

let root: TestUser;
let ops: TestUser;
let alice: TestUser;
let bob: TestUser;

const signUp = (email: string) => signUpUser(file.stack.url, email.split("@")[0] as string, email);

/** Proves the address with a code from the outbox, as its owner would. */
async function verifyEmail(person: TestUser): Promise<void> {
  const after = await lastEmailSeq(file.stage);
  const sent = await person.browser.post("/auth/v1/email-otp/send-verification-otp", {
    email: person.email,
    type: "email-verification",
  });
  expect(sent.status, await sent.clone().text()).toBe(200);
  const otp = codeIn(await waitForEmail(file.stage, person.email, { after }));
  const verified = await person.browser.post("/auth/v1/email-otp/verify-email", { email: person.email, otp });
  expect(verified.status, await verified.clone().text()).toBe(200);
}

/** A script's call: no cookie, just the key. */
function withKey(key: string, path: string, init: { method?: string; json?: unknown } = {}) {
  return fetch(new URL(path, file.stack.url), {
    method: init.method ?? (init.json === undefined ? "GET" : "POST"),
    headers: { "x-api-key": key, ...(init.json === undefined ? {} : { "content-type": "application/json" }) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
}

async function errorOf(res: Response): Promise<string | undefined> {
  return ((await res.json()) as { error?: string; code?: string }).error;
}

async function mintAdminKey(person: TestUser, access: "read" | "write"): Promise<string> {
  const res = await person.browser.post("/api/v1/admin/api-keys", { access, name: `admin-${access}` });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { key: string }).key;
}

async function plainKey(person: TestUser): Promise<string> {
  const res = await person.browser.post("/auth/v1/api-key/create", { name: "script" });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { key: string }).key;
}

async function userSeenBy(key: string, id: string): Promise<AdminUser> {
  const res = await withKey(key, `/api/v1/admin/users/${id}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { user: AdminUser }).user;
}

/** Audit rows are written after the response (waitUntil): poll until the expected one shows. */
async function auditOf(key: string, query: string, found: (events: AuditEntry[]) => boolean) {
  let events: AuditEntry[] = [];
  for (let i = 0; i < 50; i++) {
    const res = await withKey(key, `/api/v1/admin/audit?${query}`);
    expect(res.status, await res.clone().text()).toBe(200);
    events = ((await res.json()) as { events: AuditEntry[] }).events;
    if (found(events)) return events;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`audit ${query}: never found, last saw ${JSON.stringify(events)}`);
}

beforeAll(async () => {
  root = await signUp("root@example.com");
  ops = await signUp("ops@example.com");
  alice = await signUp("alice@example.com");
  bob = await signUp("bob@example.com");
  await verifyEmail(root);
  await verifyEmail(ops);
});

describe("who may use the admin API", () => {
  it("refuses a non-admin's key with a forged admin permission, and a non-admin's own attempts", async () => {
    // Better Auth takes `permissions` only from server-side calls: a forged one never reaches the table.
    const forged = await alice.browser.post("/auth/v1/api-key/create", {
      name: "sneaky",
      permissions: { admin: ["read", "write"] },
    });
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { code?: string }).code).toBe("SERVER_ONLY_PROPERTY");

    const mint = await alice.browser.post("/api/v1/admin/api-keys", { access: "write" });
    expect(mint.status).toBe(403);
    expect(await errorOf(mint)).toBe("not_an_admin");

    const key = await plainKey(alice);
    const list = await withKey(key, "/api/v1/admin/users");
    expect(list.status).toBe(403);
    expect(await errorOf(list)).toBe("not_an_admin");
    const ban = await withKey(key, `/api/v1/admin/users/${bob.id}/ban`, { json: {} });
    expect(ban.status).toBe(403);
    // And with her session cookie, as the rest of /api/v1 authenticates.
    expect((await alice.browser.get("/api/v1/admin/users")).status).toBe(403);
    expect((await userSeenBy(await mintAdminKey(root, "read"), bob.id)).banned).toBe(false);
  });

  it("takes a signed-in admin's fast-path token, and refuses a non-admin's", async () => {
    const tokenOf = async (person: TestUser) => {
      const res = await person.browser.post("/api/v1/token");
      expect(res.status, await res.clone().text()).toBe(200);
      return ((await res.json()) as { token: string }).token;
    };
    const bearer = (token: string) =>
      fetch(new URL("/api/v1/admin/users?search=bob", file.stack.url), {
        headers: { authorization: `Bearer ${token}` },
      });
    const ok = await bearer(await tokenOf(root));
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(((await ok.json()) as { users: AdminUser[] }).users.map((u) => u.id)).toEqual([bob.id]);
    const refused = await bearer(await tokenOf(alice));
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toBe("not_an_admin");
  });

  it("keeps a listed but unverified address out", async () => {
    const unverified = await signUp("unverified@example.com");
    const res = await unverified.browser.post("/api/v1/admin/api-keys", { access: "read" });
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toBe("not_an_admin");
  });

  it("lets only a session mint admin keys, and only with a scope it names", async () => {
    const write = await mintAdminKey(root, "write");
    const fromKey = await withKey(write, "/api/v1/admin/api-keys", { json: { access: "write" } });
    expect(fromKey.status).toBe(403);
    expect(await errorOf(fromKey)).toBe("session_required");
    const noScope = await root.browser.post("/api/v1/admin/api-keys", { access: "everything" });
    expect(noScope.status).toBe(400);
  });

  it("gives an admin's plain key no admin rights, and a read key no write rights", async () => {
    const plain = await plainKey(root);
    const listed = await withKey(plain, "/api/v1/admin/users");
    expect(listed.status).toBe(403);
    expect(await errorOf(listed)).toBe("insufficient_scope");

    const read = await mintAdminKey(root, "read");
    const found = await withKey(read, "/api/v1/admin/users?search=alice");
    expect(found.status).toBe(200);
    const page = (await found.json()) as { users: AdminUser[]; total: number };
    expect(page.users.map((u) => u.id)).toEqual([alice.id]);
    expect(page.total).toBe(1);

    for (const [path, method, json] of [
      [`/api/v1/admin/users/${alice.id}/ban`, "POST", { reason: "read keys cannot" }],
      [`/api/v1/admin/users/${alice.id}/role`, "POST", { role: "support" }],
      [`/api/v1/admin/users/${alice.id}/revoke-sessions`, "POST", {}],
      [`/api/v1/admin/users/${alice.id}`, "DELETE", undefined],
    ] as const) {
      const res = await withKey(read, path, { method, json });
      expect(res.status, path).toBe(403);
      expect(await errorOf(res)).toBe("insufficient_scope");
    }
    const after = await userSeenBy(read, alice.id);
    expect(after).toMatchObject({ banned: false, role: "user" });
    expect((await alice.browser.get("/auth/v1/get-session")).status).toBe(200);
  });
});

describe("what an admin key does", () => {
  it("bans with a reason and an expiry: the user's sessions and keys stop, and unban restores the keys", async () => {
    const write = await mintAdminKey(root, "write");
    const aliceKey = await plainKey(alice);
    expect((await withKey(aliceKey, "/api/v1/me")).status).toBe(200);

    const res = await withKey(write, `/api/v1/admin/users/${alice.id}/ban`, {
      json: { reason: "spam", expiresInSeconds: 3600 },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const banned = ((await res.json()) as { user: AdminUser }).user;
    expect(banned).toMatchObject({ banned: true, banReason: "spam" });
    const expires = Date.parse(banned.banExpires as string);
    expect(Math.abs(expires - (Date.now() + 3600_000))).toBeLessThan(60_000);

    expect(await (await alice.browser.get("/auth/v1/get-session")).json()).toBeNull();
    const me = await withKey(aliceKey, "/api/v1/me");
    expect(me.status).toBe(401);
    expect(await errorOf(me)).toBe("api_key_owner_banned");
    const signIn = await new Session(file.stack.url).post("/auth/v1/sign-in/email", {
      email: alice.email,
      password: TEST_PASSWORD,
    });
    expect(signIn.status).toBe(403);

    const unban = await withKey(write, `/api/v1/admin/users/${alice.id}/unban`, { json: {} });
    expect(unban.status).toBe(200);
    expect((await withKey(aliceKey, "/api/v1/me")).status).toBe(200);

    // Recorded with the key's owner as actor, and which key it was.
    const events = await auditOf(write, `userId=${alice.id}&type=admin.ban`, (e) => e.length > 0);
    expect(events[0]).toMatchObject({
      type: "admin.ban",
      userId: alice.id,
      actorId: root.id,
      detail: { reason: "spam", expiresIn: 3600, via: "api-key" },
    });
    const unbans = await auditOf(write, `userId=${alice.id}&type=admin.unban`, (e) => e.length > 0);
    expect(unbans[0]?.actorId).toBe(root.id);
  });

  it("sets declared roles but never the admin role, and refuses to ban or delete oneself", async () => {
    const write = await mintAdminKey(root, "write");
    const support = await withKey(write, `/api/v1/admin/users/${bob.id}/role`, { json: { role: "support" } });
    expect(support.status).toBe(200);
    expect((await userSeenBy(write, bob.id)).role).toBe("support");

    for (const [id, role] of [
      [bob.id, "admin"],
      [ops.id, "user"],
    ] as const) {
      const res = await withKey(write, `/api/v1/admin/users/${id}/role`, { json: { role } });
      expect(res.status).toBe(403);
      expect(await errorOf(res)).toBe("admin_role_from_config");
    }
    expect(
      (await withKey(write, `/api/v1/admin/users/${bob.id}/role`, { json: { role: "owner" } })).status,
    ).toBe(400);
    expect((await withKey(write, `/api/v1/admin/users/${root.id}/ban`, { json: {} })).status).toBe(400);
    expect((await withKey(write, `/api/v1/admin/users/${root.id}`, { method: "DELETE" })).status).toBe(400);
    expect((await withKey(write, "/api/v1/admin/users/no-such-user/ban", { json: {} })).status).toBe(404);

    const events = await auditOf(write, `userId=${bob.id}&type=admin.set-role`, (e) => e.length > 0);
    expect(events[0]).toMatchObject({ actorId: root.id, detail: { role: "support" } });
  });

  it("leaves a consistent user after concurrent bans and unbans", async () => {
    const write = await mintAdminKey(root, "write");
    const bobKey = await plainKey(bob);
    const calls = Array.from({ length: 12 }, (_, i) =>
      i % 2 === 0
        ? withKey(write, `/api/v1/admin/users/${bob.id}/ban`, { json: { reason: `race ${i}` } })
        : withKey(write, `/api/v1/admin/users/${bob.id}/unban`, { json: {} }),
    );
    for (const res of await Promise.all(calls)) expect(res.status).toBe(200);

    const user = await userSeenBy(write, bob.id);
    // Either wholly banned (with one of the reasons) or wholly unbanned; and the key agrees.
    if (user.banned) expect(user.banReason).toMatch(/^race \d+$/);
    else expect(user.banReason).toBeNull();
    expect((await withKey(bobKey, "/api/v1/me")).status).toBe(user.banned ? 401 : 200);

    expect((await withKey(write, `/api/v1/admin/users/${bob.id}/unban`, { json: {} })).status).toBe(200);
    expect((await withKey(bobKey, "/api/v1/me")).status).toBe(200);
  });

  it("revokes sessions and deletes users", async () => {
    const write = await mintAdminKey(root, "write");
    const carol = await signUp("carol@example.com");
    const carolKey = await plainKey(carol);
    expect(
      (await withKey(write, `/api/v1/admin/users/${carol.id}/revoke-sessions`, { json: {} })).status,
    ).toBe(200);
    expect(await (await carol.browser.get("/auth/v1/get-session")).json()).toBeNull();

    expect((await withKey(write, `/api/v1/admin/users/${carol.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await withKey(write, `/api/v1/admin/users/${carol.id}`)).status).toBe(404);
    // Her keys go with her: a deleted user's key acts as no one.
    expect((await withKey(carolKey, "/api/v1/me")).status).toBe(401);
    const deleted = await auditOf(write, `userId=${carol.id}&type=admin.delete-user`, (e) => e.length > 0);
    expect(deleted[0]?.actorId).toBe(root.id);
  });
});

describe("when the owner stops being an admin", () => {
  it("stops a banned admin's key", async () => {
    const opsKey = await mintAdminKey(ops, "write");
    expect((await withKey(opsKey, "/api/v1/admin/users")).status).toBe(200);
    const rootKey = await mintAdminKey(root, "write");
    expect((await withKey(rootKey, `/api/v1/admin/users/${ops.id}/ban`, { json: {} })).status).toBe(200);
    const res = await withKey(opsKey, "/api/v1/admin/users");
    expect(res.status).toBe(401);
    expect(await errorOf(res)).toBe("api_key_owner_banned");
    expect((await withKey(rootKey, `/api/v1/admin/users/${ops.id}/unban`, { json: {} })).status).toBe(200);
    expect((await withKey(opsKey, "/api/v1/admin/users")).status).toBe(200);
  });

  it("stops an admin's key once their address is no longer verified", async () => {
    const key = await mintAdminKey(root, "write");
    expect((await withKey(key, "/api/v1/admin/users")).status).toBe(200);
    // The verified-address rule, as an operator would break it: no redeploy, the next request sees it.
    const db = await localD1File("admin-test", file.stage);
    await querySqlite(db, `UPDATE user SET emailVerified = 0 WHERE id = '${root.id}'`);
    const res = await withKey(key, "/api/v1/admin/users");
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toBe("not_an_admin");
    // The key itself still works for the owner's own, non-admin calls.
    expect((await withKey(key, "/api/v1/me")).status).toBe(200);
  });
});
