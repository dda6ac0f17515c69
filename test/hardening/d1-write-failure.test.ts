/**
 * A D1 write that fails in the middle of sign-up leaves no half-created user. The failure is real: a
 * SQLite trigger in the stage's local D1 file aborts the `account` insert for chosen emails, so the
 * Worker's adapter gets the same error a failing D1 would give it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localD1File } from "../support/local-d1.ts";
import { querySqlite, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const APP = "hardening-test";
const CONFIG = ["--config", "test/hardening/fixtures/hardening.config.ts"];
const stage = uniqueStage("d1fail");
let stack: RunningStack;
let file: string;
let ip = 1;

const TRIGGER = "authform_test_fail_account";
const failing = (label: string) => `d1-fail-${label}-${stage}@example.com`;

function signUp(email: string) {
  return fetch(`${stack.url}/auth/v1/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: stack.url, "cf-connecting-ip": `192.0.2.${ip++}` },
    body: JSON.stringify({ email, password: "correct horse battery", name: "Half" }),
  });
}

async function rowsFor(email: string) {
  const [counts] = await querySqlite<{ users: number; accounts: number; sessions: number }>(
    file,
    `SELECT
       (SELECT count(*) FROM user WHERE email = '${email}') AS users,
       (SELECT count(*) FROM account WHERE userId IN (SELECT id FROM user WHERE email = '${email}')) AS accounts,
       (SELECT count(*) FROM session WHERE userId IN (SELECT id FROM user WHERE email = '${email}')) AS sessions`,
  );
  return counts;
}

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  file = await localD1File(APP, stage);
  await querySqlite(
    file,
    `CREATE TRIGGER ${TRIGGER} BEFORE INSERT ON account
     WHEN (SELECT email FROM user WHERE id = NEW.userId) LIKE 'd1-fail-%'
     BEGIN SELECT RAISE(ABORT, 'injected D1 write failure'); END`,
  );
});

afterAll(async () => {
  await stack?.stop();
});

describe("sign-up when D1 fails to write the account row", () => {
  const email = failing("signup");

  it("fails with a JSON 500 that reveals nothing about the database", async () => {
    const res = await signUp(email);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: "internal_error" });
    expect(text).not.toMatch(/injected|SQLITE|trigger|account/i);
    expect(res.headers.getSetCookie().filter((c) => c.includes("session_token"))).toEqual([]);
  });

  it("leaves no user, account or session behind", async () => {
    expect(await rowsFor(email)).toEqual({ users: 0, accounts: 0, sessions: 0 });
  });

  it("lets the same email sign up once D1 works again, exactly once", async () => {
    await querySqlite(file, `DROP TRIGGER ${TRIGGER}`);
    const res = await signUp(email);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await rowsFor(email)).toEqual({ users: 1, accounts: 1, sessions: 1 });
    expect((await signUp(email)).status).toBe(422);
  });
});

describe("concurrent sign-ups while D1 fails for some of them", () => {
  it("ends with every user complete or absent", async () => {
    await querySqlite(
      file,
      `CREATE TRIGGER ${TRIGGER} BEFORE INSERT ON account
       WHEN (SELECT email FROM user WHERE id = NEW.userId) LIKE 'd1-fail-%'
       BEGIN SELECT RAISE(ABORT, 'injected D1 write failure'); END`,
    );
    const emails = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0 ? failing(`many-${i}`) : `d1-ok-many-${i}-${stage}@example.com`,
    );
    const statuses = await Promise.all(emails.map(async (e) => (await signUp(e)).status));
    expect(statuses).toEqual(emails.map((e) => (e.startsWith("d1-fail-") ? 500 : 200)));
    const orphans = await querySqlite(
      file,
      "SELECT u.email FROM user u LEFT JOIN account a ON a.userId = u.id WHERE a.id IS NULL AND coalesce(u.isAnonymous, 0) = 0",
    );
    expect(orphans).toEqual([]);
    await querySqlite(file, `DROP TRIGGER ${TRIGGER}`);
  });
});
