/**
 * The audit log on workerd, over HTTP: each security action leaves an event (written after the
 * response), a user reads only their own, admins filter everyone's, a failed audit write neither
 * fails the sign-in nor goes uncounted, and the Cron Trigger's prune removes only events older
 * than the config's 30 days.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import {
  authorizationRequest,
  authorizeWithConsent,
  discoverIssuer,
  registerClient,
} from "../support/oauth-browser.ts";
import { codeIn, lastEmailSeq, waitForEmail } from "../support/outbox.ts";
import { querySqlite, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";
import { signUpUser, TEST_PASSWORD, type TestUser } from "../support/users.ts";

const stage = uniqueStage("audit");
const CONFIG = ["--config", "test/fixtures/audit.config.ts"];
const DAY = 24 * 60 * 60 * 1000;
let stack: RunningStack;

interface AuditEvent {
  id: string;
  at: number;
  type: string;
  userId: string | null;
  actorId: string | null;
  ip: string | null;
  userAgent: string | null;
  method: string | null;
  detail: Record<string, unknown> | null;
}

interface Page {
  events: AuditEvent[];
  nextCursor: string | null;
}

type Person = TestUser;

/** A password user named after the address's local part (test/support/users.ts). */
const signUp = (email: string): Promise<Person> =>
  signUpUser(stack.url, email.split("@")[0] as string, email);

async function signIn(email: string, password = TEST_PASSWORD) {
  const browser = new Session(stack.url);
  const res = await browser.post("/auth/v1/sign-in/email", { email, password });
  return { res, browser };
}

async function read(browser: Session, path: string): Promise<Page> {
  const res = await browser.get(path);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Page;
}

/** Polls the read API until `done` holds: the events are written after the response, not before. */
async function until(browser: Session, path: string, done: (page: Page) => boolean): Promise<Page> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const page = await read(browser, path);
    if (done(page)) return page;
    if (Date.now() > deadline)
      throw new Error(`audit never matched at ${path}: ${JSON.stringify(page.events.map((e) => e.type))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const hasAll = (types: string[]) => (page: Page) => types.every((t) => page.events.some((e) => e.type === t));

async function writeFailures(): Promise<number> {
  const res = await fetch(`${stack.url}/api/v1/system/status`);
  return ((await res.json()) as { audit: { writeFailures: number } }).audit.writeFailures;
}

let root: Person;

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  root = await signUp("root@example.com");
  const after = await lastEmailSeq(stage);
  await root.browser.post("/auth/v1/email-otp/send-verification-otp", {
    email: root.email,
    type: "email-verification",
  });
  const otp = codeIn(await waitForEmail(stage, root.email, { after }));
  const verified = await root.browser.post("/auth/v1/email-otp/verify-email", { email: root.email, otp });
  expect(verified.status).toBe(200);
});

afterAll(async () => {
  await stack?.stop();
});

describe("a user's own audit log", () => {
  it("records sign-up, sign-ins with their method, a failed attempt without the password, and account changes", async () => {
    const alice = await signUp("alice@example.com");
    const wrong = await signIn(alice.email, "not the password at all");
    expect(wrong.res.status).toBe(401);
    const { res, browser } = await signIn(alice.email);
    expect(res.status).toBe(200);

    expect(
      (
        await browser.post("/auth/v1/change-password", {
          currentPassword: TEST_PASSWORD,
          newPassword: `${TEST_PASSWORD}!`,
        })
      ).status,
    ).toBe(200);
    const password = `${TEST_PASSWORD}!`;
    expect((await browser.post("/auth/v1/two-factor/enable", { password })).status).toBe(200);
    expect((await browser.post("/auth/v1/two-factor/disable", { password })).status).toBe(200);
    const key = await browser.post("/auth/v1/api-key/create", { name: "script" });
    expect(key.status).toBe(200);
    const keyId = ((await key.json()) as { id: string }).id;
    expect((await browser.post("/auth/v1/api-key/delete", { keyId })).status).toBe(200);
    expect((await browser.post("/auth/v1/sign-out", {})).status).toBe(200);

    const reader = (await signIn(alice.email, password)).browser;
    const types = [
      "sign-up",
      "sign-in.failure",
      "sign-in.success",
      "password.change",
      "two-factor.enable",
      "two-factor.disable",
      "api-key.create",
      "api-key.revoke",
      "sign-out",
    ];
    const { events } = await until(reader, "/api/v1/audit", hasAll(types));
    expect(events.every((e) => e.userId === alice.id)).toBe(true);
    // Newest first.
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort((a, b) => b - a));

    const failure = events.find((e) => e.type === "sign-in.failure");
    expect(failure?.method).toBe("password");
    expect(failure?.ip).toBe(wrong.browser.ip);
    expect(JSON.stringify(failure)).not.toContain("not the password");
    const success = events.find((e) => e.type === "sign-in.success" && e.ip === browser.ip);
    expect(success?.method).toBe("password");
    expect(success?.userAgent).toBeTruthy();
    expect(events.find((e) => e.type === "api-key.create")?.detail).toEqual({ keyId });
    expect(events.find((e) => e.type === "api-key.revoke")?.detail).toEqual({ keyId });
    expect(events.find((e) => e.type === "sign-out")?.ip).toBe(browser.ip);
  });

  it("records a failed sign-in to an unknown address as a hash, never the address", async () => {
    const { res } = await signIn("nobody-here@example.com", "guess");
    expect(res.status).toBe(401);
    const admin = (await signIn(root.email)).browser;
    const { events } = await until(admin, "/api/v1/admin/audit?type=sign-in.failure", (p) =>
      p.events.some((e) => e.userId === null),
    );
    const unknown = events.find((e) => e.userId === null);
    expect(unknown?.detail?.emailHash).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(unknown)).not.toContain("nobody-here");
  });

  it("pages newest first with a cursor and caps the limit", async () => {
    const { browser } = await signIn("alice@example.com", `${TEST_PASSWORD}!`);
    const all = await read(browser, "/api/v1/audit?limit=1000");
    expect(all.events.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await read(browser, `/api/v1/audit?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.events.length).toBeLessThanOrEqual(2);
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.events.map((e) => e.id));
    expect((await browser.get("/api/v1/audit?limit=0")).status).toBe(400);
    expect((await browser.get("/api/v1/audit?cursor=%25not-base64")).status).toBe(400);
  });

  it("shows a user only their own events, and refuses them everyone's", async () => {
    const bob = await signUp("bob@example.com");
    const alice = await read(root.browser, "/api/v1/admin/audit?type=sign-up&limit=200");
    const aliceId = alice.events.find((e) => e.userId !== root.id && e.userId !== bob.id)?.userId;
    expect(aliceId).toBeTruthy();
    const own = await until(bob.browser, `/api/v1/audit?userId=${aliceId}`, hasAll(["sign-up"]));
    expect(own.events.length).toBeGreaterThan(0);
    expect(own.events.every((e) => e.userId === bob.id)).toBe(true);
    const refused = await bob.browser.get(`/api/v1/admin/audit?userId=${aliceId}`);
    expect(refused.status).toBe(403);
    expect((await fetch(`${stack.url}/api/v1/audit`)).status).toBe(401);
  });
});

describe("OAuth clients and consent", () => {
  it("records a client's registration, the user's consent, and the consent taken back", async () => {
    const person = await signUp("oauth-user@example.com");
    const as = await discoverIssuer(stack.url);
    const redirectUri = "https://client.example.com/callback";
    const rp = await registerClient(
      as,
      { client_name: "Audited", redirect_uris: [redirectUri] },
      "198.51.100.61",
    );
    const req = await authorizationRequest(as, {
      clientId: rp.client.client_id,
      redirectUri,
      scope: "tools:call",
      resource: "https://api.example.com/mcp",
    });
    expect(
      new URL(await authorizeWithConsent(person.browser, req.url.href)).searchParams.get("code"),
    ).toBeTruthy();

    const consents = await person.browser.get("/auth/v1/oauth2/get-consents");
    expect(consents.status).toBe(200);
    const [consent] = (await consents.json()) as { id: string; clientId: string }[];
    expect(consent?.clientId).toBe(rp.client.client_id);
    const revoked = await person.browser.post("/auth/v1/oauth2/delete-consent", { id: consent?.id });
    expect(revoked.status, await revoked.clone().text()).toBe(200);

    const page = await until(
      person.browser,
      "/api/v1/audit",
      hasAll(["oauth.consent-grant", "oauth.consent-revoke"]),
    );
    const grant = page.events.find((e) => e.type === "oauth.consent-grant");
    const revoke = page.events.find((e) => e.type === "oauth.consent-revoke");
    expect(grant).toMatchObject({ userId: person.id, actorId: person.id, detail: { accepted: true } });
    expect(revoke).toMatchObject({
      userId: person.id,
      actorId: person.id,
      detail: { consentId: consent?.id },
    });
    expect(revoke?.at).toBeGreaterThanOrEqual(grant?.at ?? Number.POSITIVE_INFINITY);
    // The registration was anonymous (dynamic registration names no user): only an admin sees it.
    const db = await localD1File("audit-test", stage);
    const registered = await querySqlite<{ detail: string }>(
      db,
      "SELECT detail FROM auditLog WHERE type = 'oauth.client-register'",
    );
    expect(registered.map((r) => JSON.parse(r.detail).clientId)).toContain(rp.client.client_id);
  });
});

describe("admins", () => {
  it("see admin actions with the admin as actor, filtered by user, type and time", async () => {
    const carol = await signUp("carol@example.com");
    const admin = (await signIn(root.email)).browser;
    const start = Date.now();
    expect(
      (await admin.post("/auth/v1/admin/ban-user", { userId: carol.id, banReason: "spam" })).status,
    ).toBe(200);
    expect((await admin.post("/auth/v1/admin/unban-user", { userId: carol.id })).status).toBe(200);
    expect((await admin.post("/auth/v1/admin/set-role", { userId: carol.id, role: "user" })).status).toBe(
      200,
    );
    expect((await admin.post("/auth/v1/admin/revoke-user-sessions", { userId: carol.id })).status).toBe(200);
    const impersonator = (await signIn(root.email)).browser;
    expect((await impersonator.post("/auth/v1/admin/impersonate-user", { userId: carol.id })).status).toBe(
      200,
    );
    expect((await impersonator.post("/auth/v1/admin/stop-impersonating", {})).status).toBe(200);
    expect((await admin.post("/auth/v1/admin/remove-user", { userId: carol.id })).status).toBe(200);

    const types = [
      "admin.ban",
      "admin.unban",
      "admin.set-role",
      "admin.revoke-sessions",
      "admin.impersonate-start",
      "admin.impersonate-stop",
      "admin.delete-user",
    ];
    const { events } = await until(
      admin,
      `/api/v1/admin/audit?userId=${carol.id}&since=${start}`,
      hasAll(types),
    );
    for (const type of types) {
      const event = events.find((e) => e.type === type);
      expect(event?.actorId, type).toBe(root.id);
      expect(event?.userId, type).toBe(carol.id);
    }
    expect(events.find((e) => e.type === "admin.ban")?.detail).toMatchObject({ reason: "spam" });

    const bans = await read(admin, `/api/v1/admin/audit?userId=${carol.id}&type=admin.ban`);
    expect(bans.events.map((e) => e.type)).toEqual(["admin.ban"]);
    const before = await read(admin, `/api/v1/admin/audit?userId=${carol.id}&until=${start}`);
    expect(before.events.filter((e) => e.type.startsWith("admin."))).toEqual([]);
    const later = await read(admin, `/api/v1/admin/audit?since=${Date.now() + DAY}`);
    expect(later.events).toEqual([]);
  });
});

describe("the audit write", () => {
  it("failing does not fail the sign-in, and is counted", async () => {
    const dave = await signUp("dave@example.com");
    const file = await localD1File("audit-test", stage);
    const [table] = await querySqlite<{ sql: string }>(
      file,
      "SELECT sql FROM sqlite_master WHERE name = 'auditLog'",
    );
    const indexes = await querySqlite<{ sql: string }>(
      file,
      "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'auditLog' AND sql IS NOT NULL",
    );
    const failuresBefore = await writeFailures();
    await querySqlite(file, "DROP TABLE auditLog");
    try {
      const { res } = await signIn(dave.email);
      expect(res.status).toBe(200);
      const deadline = Date.now() + 10_000;
      while ((await writeFailures()) <= failuresBefore && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await writeFailures()).toBeGreaterThan(failuresBefore);
    } finally {
      await querySqlite(file, table?.sql ?? "");
      for (const index of indexes) await querySqlite(file, index.sql);
    }
  });
});

describe("retention", () => {
  it("the Cron Trigger's prune removes only events older than 30 days", async () => {
    const file = await localD1File("audit-test", stage);
    const now = Date.now();
    await querySqlite(
      file,
      `INSERT INTO auditLog (id, at, type, userId) VALUES ('old-event', ${now - 31 * DAY}, 'sign-out', 'someone'), ('kept-event', ${now - 29 * DAY}, 'sign-out', 'someone')`,
    );
    const ids = async () =>
      (
        await querySqlite<{ id: string }>(
          file,
          "SELECT id FROM auditLog WHERE userId = 'someone' ORDER BY id",
        )
      ).map((r) => r.id);
    expect(await ids()).toEqual(["kept-event", "old-event"]);
    const total = (await querySqlite<{ n: number }>(file, "SELECT count(*) AS n FROM auditLog"))[0]?.n ?? 0;

    // Miniflare runs the Worker's scheduled handler at this URL, as Cloudflare does on the cron.
    const fired = await fetch(
      `${stack.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("17 3 * * *")}`,
    );
    expect(fired.status, await fired.clone().text()).toBe(200);
    const deadline = Date.now() + 10_000;
    while ((await ids()).includes("old-event") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await ids()).toEqual(["kept-event"]);
    // Every recent event is still there.
    expect((await querySqlite<{ n: number }>(file, "SELECT count(*) AS n FROM auditLog"))[0]?.n).toBe(
      total - 1,
    );
  });

  it("the same Cron Trigger removes attempt counters idle for a day, and keeps every live one", async () => {
    const file = await localD1File("audit-test", stage);
    const now = Date.now();
    const hour = 60 * 60 * 1000;
    await querySqlite(
      file,
      `INSERT INTO rateLimit (id, key, count, lastRequest) VALUES
         ('rl-idle', '192.0.2.1|/sign-in/email', 10, ${now - DAY - hour}),
         ('rl-live', '192.0.2.2|/sign-in/email', 3, ${now - 30_000})`,
    );
    await querySqlite(
      file,
      `INSERT INTO accountAttempt (key, windowStart, attempts, refused, nextAllowedAt) VALUES
         ('prune-test:idle', ${now - DAY - hour}, 4, 0, ${now - DAY - hour + 60_000}),
         ('prune-test:window', ${now - 10 * 60_000}, 7, 2, ${now - 60_000}),
         ('prune-test:waiting', ${now - DAY - hour}, 9, 0, ${now + 5 * 60_000})`,
    );
    const left = async () => ({
      rateLimit: (
        await querySqlite<{ id: string }>(file, "SELECT id FROM rateLimit WHERE id LIKE 'rl-%' ORDER BY id")
      ).map((r) => r.id),
      accountAttempt: (
        await querySqlite<{ key: string }>(
          file,
          "SELECT key FROM accountAttempt WHERE key LIKE 'prune-test:%' ORDER BY key",
        )
      ).map((r) => r.key),
    });
    expect(await left()).toEqual({
      rateLimit: ["rl-idle", "rl-live"],
      accountAttempt: ["prune-test:idle", "prune-test:waiting", "prune-test:window"],
    });

    const fired = await fetch(
      `${stack.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("17 3 * * *")}`,
    );
    expect(fired.status, await fired.clone().text()).toBe(200);
    const deadline = Date.now() + 10_000;
    while ((await left()).rateLimit.includes("rl-idle") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // A counter still inside its window, or an account still waiting, stays: pruning frees no one early.
    expect(await left()).toEqual({
      rateLimit: ["rl-live"],
      accountAttempt: ["prune-test:waiting", "prune-test:window"],
    });
  });
});
