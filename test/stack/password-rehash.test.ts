/** Changing emailAndPassword.passwordHashing on a live stage: each password is re-hashed at its owner's next sign-in. */
import { stat } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { querySqlite, ROOT, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const APP = "password-rehash-test";
const STANDARD = ["--config", "test/fixtures/password-rehash-standard.config.ts"];
const WORKERS_FREE = ["--config", "test/fixtures/password-rehash-workers-free.config.ts"];
const stage = uniqueStage("rehash");
const ada = { name: "Ada", email: `ada-${stage}@example.com`, password: "correct horse battery" };
const bob = { name: "Bob", email: `bob-${stage}@example.com`, password: "tr0ub4dor and 3" };
const BETTER_AUTH_FORMAT = /^[0-9a-f]{32}:[0-9a-f]{128}$/;
const WORKERS_FREE_FORMAT = /^\$scrypt\$n=4096,r=8,p=1\$[0-9a-f]{32}\$[0-9a-f]{128}$/;

let stack: RunningStack | undefined;
let d1: string;

async function run(args: string[]) {
  await stack?.stop();
  stack = await startStack(stage, { args });
}

async function storedHash(email: string): Promise<string> {
  const rows = await querySqlite<{ password: string }>(
    d1,
    `SELECT a.password FROM account a JOIN user u ON u.id = a.userId
     WHERE u.email = '${email}' AND a.providerId = 'credential'`,
  );
  expect(rows).toHaveLength(1);
  return (rows[0] as { password: string }).password;
}

let clients = 0;

/** A POST from its own client address: the rate limiter counts sign-ins per address, and this file makes many. */
function post(browser: Session, pathname: string, json: unknown) {
  clients++;
  return browser.request(pathname, {
    method: "POST",
    json,
    headers: { "cf-connecting-ip": `192.0.2.${clients}` },
  });
}

async function signIn(email: string, password: string) {
  const browser = new Session((stack as RunningStack).url);
  const res = await post(browser, "/auth/v1/sign-in/email", { email, password });
  return { status: res.status, browser };
}

const signUp = async (user: { email: string; password: string; name: string }) =>
  (await post(new Session((stack as RunningStack).url), "/auth/v1/sign-up/email", user)).status;

beforeAll(async () => {
  await run(STANDARD);
  d1 = await localD1File(APP, stage);
  for (const user of [ada, bob]) {
    expect(await signUp(user)).toBe(200);
  }
}, 240_000);

afterAll(async () => {
  await stack?.stop();
}, 120_000);

describe('passwordHashing "standard" → "workers-free" → "standard"', () => {
  let adaStandard: string;

  it('"standard" stores Better Auth\'s own format', async () => {
    adaStandard = await storedHash(ada.email);
    expect(adaStandard).toMatch(BETTER_AUTH_FORMAT);
    expect(await storedHash(bob.email)).toMatch(BETTER_AUTH_FORMAT);
  });

  it('under "workers-free", a wrong password is refused and leaves the old hash alone', async () => {
    await run(WORKERS_FREE);
    expect((await signIn(ada.email, "correct horse battery!")).status).toBe(401);
    expect(await storedHash(ada.email)).toBe(adaStandard);
  }, 120_000);

  it("the right password signs in with the old hash, which is then replaced by a workers-free one", async () => {
    const { status, browser } = await signIn(ada.email, ada.password);
    expect(status).toBe(200);
    const session = (await (await browser.get("/auth/v1/get-session")).json()) as { user: { email: string } };
    expect(session.user.email).toBe(ada.email);
    const upgraded = await storedHash(ada.email);
    expect(upgraded).toMatch(WORKERS_FREE_FORMAT);

    // The new hash works, once: a second sign-in does not re-hash again.
    expect((await signIn(ada.email, ada.password)).status).toBe(200);
    expect(await storedHash(ada.email)).toBe(upgraded);
    expect((await signIn(ada.email, "not ada's password")).status).toBe(401);
  });

  it("a user who has not signed in keeps the old hash; a new sign-up gets the new profile", async () => {
    expect(await storedHash(bob.email)).toMatch(BETTER_AUTH_FORMAT);
    const carol = {
      name: "Carol",
      email: `carol-${stage}@example.com`,
      password: "a long enough passphrase",
    };
    expect(await signUp(carol)).toBe(200);
    expect(await storedHash(carol.email)).toMatch(WORKERS_FREE_FORMAT);
    expect((await signIn(carol.email, carol.password)).status).toBe(200);
  });

  it("a changed password is hashed with the profile; the old password stops working", async () => {
    const { browser } = await signIn(ada.email, ada.password);
    const changed = await post(browser, "/auth/v1/change-password", {
      currentPassword: ada.password,
      newPassword: "a brand new passphrase",
    });
    expect(changed.status).toBe(200);
    expect(await storedHash(ada.email)).toMatch(WORKERS_FREE_FORMAT);
    expect((await signIn(ada.email, ada.password)).status).toBe(401);
    expect((await signIn(ada.email, "a brand new passphrase")).status).toBe(200);
    ada.password = "a brand new passphrase";
  });

  it('back under "standard", the next sign-in restores the stronger hash', async () => {
    await run(STANDARD);
    expect((await signIn(ada.email, ada.password)).status).toBe(200);
    const restored = await storedHash(ada.email);
    expect(restored).toMatch(BETTER_AUTH_FORMAT);
    expect((await signIn(ada.email, ada.password)).status).toBe(200);
    expect(await storedHash(ada.email)).toBe(restored);
    // Bob was never re-hashed and still signs in as before.
    expect((await signIn(bob.email, bob.password)).status).toBe(200);
  }, 120_000);
});

describe("an unchanged re-run", () => {
  it("reuses the last bundle instead of bundling again, and serves as before", async () => {
    // Alchemy rewrites the metafile after every esbuild pass.
    const bundle = path.join(ROOT, ".authform", "generated", stage, "bundle", "metafile.json");
    const before = (await stat(bundle)).mtimeMs;
    await run(STANDARD);
    expect((await stat(bundle)).mtimeMs).toBe(before);
    expect((await signIn(ada.email, ada.password)).status).toBe(200);
    expect((await signIn(ada.email, "not ada's password")).status).toBe(401);
  }, 120_000);
});
