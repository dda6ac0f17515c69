/** /api/v1 on workerd with organizations: rate-limited keys get 429 + Retry-After, and a removed membership leaves tokens only until they expire. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningStack, runProgram, startStack, uniqueStage } from "../support/stack.ts";
import { signUpUser, type TestUser } from "../support/users.ts";

const stage = uniqueStage("access");
const CONFIG = ["--config", "test/fixtures/api-access.config.ts"];
/** The verifier's tolerance for clock differences (worker/api/fast-path-token.ts). */
const CLOCK_SKEW_SECONDS = 30;
let stack: RunningStack;

type User = TestUser;

let owner: User;
let orgId: string;

const signUp = (name: string): Promise<User> => signUpUser(stack.url, name);

async function createKey(user: User, body: Record<string, unknown> = {}): Promise<string> {
  const res = await user.browser.post("/auth/v1/api-key/create", body);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { key: string }).key;
}

async function mintToken(user: User): Promise<string> {
  const res = await user.browser.post("/api/v1/token");
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

const meByKey = (key: string) => fetch(`${stack.url}/api/v1/me`, { headers: { "x-api-key": key } });
const meByToken = (token: string) =>
  fetch(`${stack.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  owner = await signUp("Olga");
  const res = await owner.browser.post("/auth/v1/organization/create", {
    name: "Initech",
    slug: `initech-${stage}`,
  });
  expect(res.status, await res.clone().text()).toBe(200);
  orgId = ((await res.json()) as { id: string }).id;
});

afterAll(async () => {
  await stack?.stop();
  await runProgram(["--destroy", "--stage", stage, ...CONFIG]);
});

describe("/api/v1 with API keys and organizations", () => {
  it("answers 429 with Retry-After (not 401) to a valid key over its rate limit", async () => {
    const key = await createKey(owner, { metadata: { organizationId: orgId } });
    for (let i = 0; i < 5; i++) {
      const res = await meByKey(key);
      expect(res.status, `request ${i + 1}`).toBe(200);
      expect(await res.json()).toMatchObject({ userId: owner.id, orgId, roles: ["owner"] });
    }
    const limited = await meByKey(key);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited.json()).toMatchObject({ error: "api_key_rate_limited", retryAfter });
    // The limit is the key's, not the user's: another key of the same owner still works.
    expect((await meByKey(await createKey(owner))).status).toBe(200);
    // A wrong key is still a 401, rate limits or not.
    const wrong = await meByKey("x".repeat(64));
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: "api_key_invalid" });
  });

  it("keeps a token issued before a membership was removed until it expires; fresh tokens carry no org", async () => {
    const member = await signUp("Milton");
    const invite = await owner.browser.post("/auth/v1/organization/invite-member", {
      email: member.email,
      role: "admin",
      organizationId: orgId,
    });
    expect(invite.status, await invite.clone().text()).toBe(200);
    const invitationId = ((await invite.json()) as { id: string }).id;
    const accepted = await member.browser.post("/auth/v1/organization/accept-invitation", { invitationId });
    expect(accepted.status, await accepted.clone().text()).toBe(200);
    const active = await member.browser.post("/auth/v1/organization/set-active", { organizationId: orgId });
    expect(active.status, await active.clone().text()).toBe(200);

    const token = await mintToken(member);
    expect(await (await meByToken(token)).json()).toMatchObject({
      orgId,
      roles: ["admin"],
      authMethod: "jwt",
    });

    const removed = await owner.browser.post("/auth/v1/organization/remove-member", {
      memberIdOrEmail: member.email,
      organizationId: orgId,
    });
    expect(removed.status, await removed.clone().text()).toBe(200);

    // Stateless by design: the token already handed out still says admin of the org (no DB read)...
    const stale = await meByToken(token);
    expect(stale.status).toBe(200);
    expect(await stale.json()).toMatchObject({ orgId, roles: ["admin"] });
    // ...while anything that reads the database sees the removal at once.
    expect(await (await member.browser.get("/api/v1/me")).json()).toMatchObject({
      userId: member.id,
      orgId: null,
      roles: [],
      authMethod: "session",
    });
    const fresh = await mintToken(member);
    expect(await (await meByToken(fresh)).json()).toMatchObject({
      userId: member.id,
      orgId: null,
      roles: [],
    });

    // The revocation bound: the token's lifetime (2 s here) plus the verifier's clock-skew allowance.
    const { exp } = JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString()) as {
      exp: number;
    };
    const wait = (exp + CLOCK_SKEW_SECONDS + 1) * 1000 - Date.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
    const expired = await meByToken(token);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: "token_expired" });
  }, 90_000);
});
