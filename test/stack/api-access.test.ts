/** /api/v1 on workerd with organizations: rate-limited keys get 429 + Retry-After, and a removed membership leaves tokens only until they expire. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deriveFastPathKey,
  type FastPathClaims,
  signFastPathToken,
} from "../../worker/api/fast-path-token.ts";
import { localEnv, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";
import { signUpUser, type TestUser } from "../support/users.ts";

const stage = uniqueStage("access");
const CONFIG = ["--config", "test/fixtures/api-access.config.ts"];
/** The verifier's tolerance for clock differences (worker/api/fast-path-token.ts). */
const CLOCK_SKEW_SECONDS = 30;
/** The stack's secret, known here so the test can sign with the stack's own fast-path key. */
const SECRET = "api-access-test-secret-0123456789abcdef";
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
  stack = await startStack(stage, { args: CONFIG, env: localEnv({ BETTER_AUTH_SECRET: SECRET }) });
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

    // The revocation bound is the token's lifetime (2 s here) plus the verifier's clock-skew
    // allowance. Instead of waiting that out (≈ 33 s), the stale token's own claims are signed again
    // with the stack's key, moved back in time, and sent to the Worker's real verifier.
    const key = await deriveFastPathKey(SECRET);
    const claims = JSON.parse(
      Buffer.from(token.split(".")[1] as string, "base64url").toString(),
    ) as FastPathClaims;
    expect(claims.exp - claims.iat).toBe(2);
    // The same claims signed unchanged give back the very token the stack issued: the key is the stack's.
    expect(await signFastPathToken(claims, key)).toBe(token);
    const agedBy = async (expiredSecondsAgo: number) => {
      const shift = claims.exp - (Math.floor(Date.now() / 1000) - expiredSecondsAgo);
      return signFastPathToken({ ...claims, iat: claims.iat - shift, exp: claims.exp - shift }, key);
    };
    // Past its expiry but inside the allowance (10 s of margin for a slow request): still admin of the org.
    const lingering = await meByToken(await agedBy(CLOCK_SKEW_SECONDS - 10));
    expect(lingering.status).toBe(200);
    expect(await lingering.json()).toMatchObject({ orgId, roles: ["admin"] });
    // Past expiry plus the allowance: refused as expired.
    const expired = await meByToken(await agedBy(CLOCK_SKEW_SECONDS + 1));
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: "token_expired" });
  });
});
