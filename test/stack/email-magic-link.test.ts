/**
 * Magic links on a local stack: the seed's send path and Better Auth's, the link followed from the
 * outbox, single use, expiry, trusted callback URLs only, and a failed send.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { lastEmailSeq, linkIn, waitForEmail } from "../support/outbox.ts";
import { querySqlite, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const APP = "email-magic-link-test";
const stage = uniqueStage("mlink");
const CONFIG = ["--config", "test/fixtures/email-magic-link.config.ts"];
/** The fixture's magicLink.expiresIn. */
const LINK_SECONDS = 6;
let stack: RunningStack;
let db: string;

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  db = await localD1File(APP, stage);
});

afterAll(async () => {
  await stack?.stop();
});

const address = (label: string) => `${label}-${stage}@example.com`;

/** Asks for a link on `path` and returns it from the outbox. */
async function requestLink(
  email: string,
  body: Record<string, unknown> = {},
  path = "/auth/v1/magic-link/send",
) {
  const after = await lastEmailSeq(stage);
  const res = await new Session(stack.url).post(path, { email, ...body });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(await res.json()).toEqual({ status: true });
  const message = await waitForEmail(stage, email, { after });
  expect(message.kind).toBe("magic-link");
  return { message, link: linkIn(message, "/auth/v1/magic-link/verify") };
}

function sessionCookie(res: Response): string | undefined {
  return res.headers.getSetCookie().find((c) => c.startsWith("better-auth.session_token="));
}

describe("a magic link", () => {
  it("signs in from the outbox link: session cookie set, redirect to the callback, get-session shows the user", async () => {
    const email = address("ada");
    const { message, link } = await requestLink(email, { callbackURL: "/dashboard" });
    expect(message.subject).toBe(`Sign in to ${APP}`);
    expect(message.secretPreview).toBe(link);
    expect(stack.logs()).toContain(`✉  magic-link for ${email}: ${link}`);
    const token = new URL(link).searchParams.get("token") as string;
    // Stored hashed: the database does not hold the token.
    const rows = await querySqlite<{ identifier: string }>(
      db,
      "SELECT identifier FROM verification WHERE identifier LIKE 'magic-link:%'",
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.identifier.includes(token))).toBe(false);

    const browser = new Session(stack.url);
    const res = await browser.request(link);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${stack.url}/dashboard`);
    expect(sessionCookie(res)).toBeDefined();
    const session = (await (await browser.get("/auth/v1/get-session")).json()) as { user: { email: string } };
    expect(session.user).toMatchObject({ email, emailVerified: true });
  });

  it("is refused when used a second time", async () => {
    const { link } = await requestLink(address("twice"), { callbackURL: "/dashboard" });
    expect((await fetch(link, { redirect: "manual" })).status).toBe(302);
    const again = await fetch(link, { redirect: "manual" });
    expect(again.status).toBe(302);
    const landing = new URL(again.headers.get("location") as string);
    expect(`${landing.origin}${landing.pathname}`).toBe(`${stack.url}/dashboard`);
    expect(landing.searchParams.get("error")).toBe("INVALID_TOKEN");
    expect(sessionCookie(again)).toBeUndefined();
  });

  it(
    "is refused once it has expired",
    async () => {
      const { link } = await requestLink(address("late"), { callbackURL: "/dashboard" });
      await new Promise((resolve) => setTimeout(resolve, (LINK_SECONDS + 1) * 1000));
      const res = await fetch(link, { redirect: "manual" });
      expect(res.status).toBe(302);
      expect(new URL(res.headers.get("location") as string).searchParams.get("error")).toBe("INVALID_TOKEN");
      expect(sessionCookie(res)).toBeUndefined();
    },
    (LINK_SECONDS + 10) * 1000,
  );

  it("serves the seed's frontend snippet: POST /magic-link/send with only { email }, and the link lands on APP_URL", async () => {
    const email = address("snippet");
    const { link } = await requestLink(email);
    // APP_URL, which local mode pins to the stack's URL (Better Auth alone would send "/").
    expect(new URL(link).searchParams.get("callbackURL")).toBe(stack.url);
    const res = await fetch(link, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${stack.url}/`);
    expect(sessionCookie(res)).toBeDefined();
  });

  it("keeps Better Auth's own path working, and lands on APP_URL when no callbackURL is given", async () => {
    const email = address("native");
    const { link } = await requestLink(email, {}, "/auth/v1/sign-in/magic-link");
    // APP_URL, which local mode pins to the stack's URL.
    expect(new URL(link).searchParams.get("callbackURL")).toBe(stack.url);
    const res = await fetch(link, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${stack.url}/`);
    expect(sessionCookie(res)).toBeDefined();
  });
});

describe("callback URLs", () => {
  it("refuses to send a link whose callbackURL is not a trusted origin", async () => {
    const email = address("evil");
    for (const field of ["callbackURL", "newUserCallbackURL", "errorCallbackURL"]) {
      const res = await new Session(stack.url).post("/auth/v1/magic-link/send", {
        email,
        [field]: "https://evil.example/steal",
      });
      expect(res.status, field).toBe(403);
      expect(((await res.json()) as { code: string }).code, field).toMatch(/^INVALID_.*CALLBACK_URL$/);
    }
    expect(await lastEmailSeqTo(email)).toBe(0);
  });

  it("refuses a link whose callbackURL was changed to an untrusted origin, without using it up", async () => {
    const { link } = await requestLink(address("tamper"), { callbackURL: "/dashboard" });
    const tampered = new URL(link);
    tampered.searchParams.set("callbackURL", "https://evil.example/steal");
    const res = await fetch(tampered, { redirect: "manual" });
    expect(res.status).toBe(403);
    expect(res.headers.get("location")).toBeNull();
    expect(sessionCookie(res)).toBeUndefined();
    // The genuine link still works: the check ran before the token was consumed.
    const genuine = await fetch(link, { redirect: "manual" });
    expect(genuine.headers.get("location")).toBe(`${stack.url}/dashboard`);
    expect(sessionCookie(genuine)).toBeDefined();
  });
});

describe("when the email cannot be delivered", () => {
  it("answers with a clear 502 JSON error and creates no user", async () => {
    const email = `nobody-${stage}@example.invalid`;
    const res = await new Session(stack.url).post("/auth/v1/magic-link/send", { email });
    const text = await res.text();
    expect(res.status, text).toBe(502);
    expect(JSON.parse(text)).toMatchObject({
      error: "email_delivery_failed",
      message: expect.stringMatching(/^The sign-in email could not be sent/),
    });
    expect(await querySqlite(db, `SELECT id FROM user WHERE email = '${email}'`)).toEqual([]);
  });
});

async function lastEmailSeqTo(email: string): Promise<number> {
  try {
    return (await waitForEmail(stage, email, { timeoutMs: 300 })).seq;
  } catch {
    return 0;
  }
}
