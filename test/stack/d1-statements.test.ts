/**
 * D1 statements per request on a D1-only stack (issue 22): a signed-in read (get-session,
 * /api/v1/me by cookie) is one statement, the session and its user read together (Better Auth's
 * joins, worker/db/join-relations.ts), and a signed-out session is refused at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { type RunningStack, runProgram, startStack, uniqueStage } from "../support/stack.ts";

const CONFIG = ["--config", "test/fixtures/d1-statements.config.ts"];
const stage = uniqueStage("d1st");
let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
});

afterAll(async () => {
  await stack?.stop();
  await runProgram(["--destroy", "--stage", stage, ...CONFIG]);
});

/** D1 statements the Worker ran for a response (the fixture sets AUTHFORM_COUNT_D1_QUERIES). */
function d1Queries(res: Response): number {
  const value = res.headers.get("x-authform-d1-queries");
  if (value === null) throw new Error("the response carries no D1 query count");
  return Number(value);
}

const email = `ada-${stage}@example.com`;
const password = "correct horse battery";

describe("D1 statements per request, D1 only", () => {
  const browser = () => new Session(stack.url);
  let signedIn: Session;
  let cookie = "";
  let userId = "";

  it("sign-up, then sign-in: the user and its accounts are read in one statement", async () => {
    const res = await browser().post("/auth/v1/sign-up/email", { name: "Ada", email, password });
    expect(res.status).toBe(200);
    signedIn = browser();
    const signIn = await signedIn.post("/auth/v1/sign-in/email", { email, password });
    expect(signIn.status).toBe(200);
    // The per-IP count (one upsert), the user with its accounts, the new session.
    expect(d1Queries(signIn)).toBe(3);
    userId = ((await signIn.json()) as { user: { id: string } }).user.id;
    cookie = signIn.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; ");
  });

  it("get-session: one statement (session and user together)", async () => {
    const res = await signedIn.get("/auth/v1/get-session");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { email: string } }).user.email).toBe(email);
    expect(d1Queries(res)).toBe(1);
  });

  it("/api/v1/me by cookie: one statement", async () => {
    const res = await signedIn.get("/api/v1/me");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ userId, authMethod: "session" });
    expect(d1Queries(res)).toBe(1);
  });

  it("list-sessions", async () => {
    const res = await signedIn.get("/auth/v1/list-sessions");
    expect(res.status).toBe(200);
    expect((await res.json()) as unknown[]).toHaveLength(2); // sign-up's and sign-in's
    // The per-IP count, the session with its user, the sessions listed.
    expect(d1Queries(res)).toBe(3);
  });

  it("sign-out ends the session at once: the same cookie gets no session, from one statement", async () => {
    const res = await signedIn.post("/auth/v1/sign-out", {});
    expect(res.status).toBe(200);
    // The per-IP count; the session with its user, read once though the audit hook and Better Auth
    // both ask (worker/db/session-lookup.ts); Better Auth's deleteSession (the row, then the delete);
    // the user's accounts (Better Auth looks for a provider to log out of).
    expect(d1Queries(res)).toBe(5);
    const replayed = await fetch(`${stack.url}/auth/v1/get-session`, { headers: { cookie } });
    expect(replayed.status).toBe(200);
    expect(await replayed.json()).toBeNull();
    expect(d1Queries(replayed)).toBe(1);
    const me = await fetch(`${stack.url}/api/v1/me`, { headers: { cookie } });
    expect(me.status).toBe(401);
  });
});
