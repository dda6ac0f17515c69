/**
 * Security review (session 3), KV storage: get-session reads Workers KV first, so a session ended in
 * D1 but still cached in KV would go on working. Each way of ending other sessions is checked here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { lastEmailSeq, linkIn, waitForEmail } from "../support/outbox.ts";
import { querySqlite, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const APP = "security-review-kv-test";
const stage = uniqueStage("secrevkv");
const CONFIG = ["--config", "test/hardening/fixtures/security-review-kv.config.ts"];
const PASSWORD = "correct horse battery";
let stack: RunningStack;
let db: string;

/** A user signed in on two devices: `mine` and `other`. */
async function twoDevices(name: string) {
  const mine = new Session(stack.url);
  const email = `${name}-${stage}@example.com`;
  const res = await mine.post("/auth/v1/sign-up/email", { name, email, password: PASSWORD });
  expect(res.status).toBe(200);
  const id = ((await res.json()) as { user: { id: string } }).user.id;
  const other = new Session(stack.url);
  expect((await other.post("/auth/v1/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
  // Read once, so the session is certainly cached in KV before it is revoked.
  expect(await (await other.get("/auth/v1/get-session")).json()).toMatchObject({ user: { id } });
  return { mine, other, email, id };
}

const sessionOf = async (browser: Session) => (await browser.get("/auth/v1/get-session")).json();

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  db = await localD1File(APP, stage);
});

afterAll(async () => {
  await stack?.stop();
});

describe("ending other sessions with sessions in KV", () => {
  it("revoke-other-sessions ends the other device at once", async () => {
    const { mine, other, id } = await twoDevices("rita");
    expect((await mine.post("/auth/v1/revoke-other-sessions", {})).status).toBe(200);
    expect(await sessionOf(other)).toBeNull();
    expect(await sessionOf(mine)).toMatchObject({ user: { id } });
  });

  it("a password change ends the other device at once", async () => {
    const { mine, other, id } = await twoDevices("carl");
    const res = await mine.post("/auth/v1/change-password", {
      currentPassword: PASSWORD,
      newPassword: "another long passphrase",
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await sessionOf(other)).toBeNull();
    expect(await sessionOf(mine)).toMatchObject({ user: { id } });
  });

  it("a password reset ends every session at once, in KV and D1", async () => {
    const { mine, other, email, id } = await twoDevices("pia");
    const after = await lastEmailSeq(stage);
    expect(
      (await new Session(stack.url).post("/auth/v1/request-password-reset", { email, redirectTo: "/login" }))
        .status,
    ).toBe(200);
    const link = new URL(linkIn(await waitForEmail(stage, email, { after }), "/auth/v1/reset-password/"));
    const reset = await new Session(stack.url).post("/auth/v1/reset-password", {
      newPassword: "a brand new passphrase",
      token: link.pathname.split("/").at(-1),
    });
    expect(reset.status).toBe(200);
    expect(await sessionOf(other)).toBeNull();
    expect(await sessionOf(mine)).toBeNull();
    expect(await querySqlite(db, `SELECT id FROM session WHERE userId = '${id}'`)).toEqual([]);
  });
});
