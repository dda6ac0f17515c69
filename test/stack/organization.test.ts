/** Organizations on workerd: invitations by email, and API keys that carry an organization and their owner's role in it. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localD1File } from "../support/local-d1.ts";
import { linkIn, waitForEmail } from "../support/outbox.ts";
import { querySqlite, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";
import { signUpUser, type TestUser } from "../support/users.ts";

const APP = "organization-test";
const stage = uniqueStage("org");
const CONFIG = ["--config", "test/fixtures/organization.config.ts"];
let stack: RunningStack;
let db: string;

type User = TestUser;

let owner: User;
let invitee: User;
let orgId: string;

const signUp = (name: string): Promise<User> => signUpUser(stack.url, name);

async function createOrg(user: User, name: string): Promise<string> {
  const res = await user.browser.post("/auth/v1/organization/create", {
    name,
    slug: `${name.toLowerCase()}-${stage}`,
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { id: string }).id;
}

async function keyFor(user: User, organizationId?: string): Promise<string> {
  const res = await user.browser.post(
    "/auth/v1/api-key/create",
    organizationId ? { metadata: { organizationId } } : {},
  );
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { key: string }).key;
}

const me = (key: string) => fetch(`${stack.url}/api/v1/me`, { headers: { "x-api-key": key } });

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
  db = await localD1File(APP, stage);
  owner = await signUp("Olivia");
  invitee = await signUp("Mark");
  orgId = await createOrg(owner, "Acme");
});

afterAll(async () => {
  await stack?.stop();
});

describe("organization plugin + API keys", () => {
  it("brings apiKey along with it: a key made at its endpoint authenticates its owner, and is in D1", async () => {
    // The config names only "organization": apiKey is on because organization auto-includes it.
    const created = await owner.browser.post("/auth/v1/api-key/create", { name: "auto-included" });
    expect(created.status, await created.clone().text()).toBe(200);
    const { id, key } = (await created.json()) as { id: string; key: string };
    const res = await me(key);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ userId: owner.id, authMethod: "api-key" });
    expect(await me(`${key}x`).then((r) => r.status)).toBe(401);

    const listed = (await (await owner.browser.get("/auth/v1/api-key/list")).json()) as {
      apiKeys: { id: string; name: string }[];
    };
    expect(listed.apiKeys).toContainEqual(expect.objectContaining({ id, name: "auto-included" }));
    expect(await querySqlite(db, `SELECT name FROM apikey WHERE id = '${id}'`)).toEqual([
      { name: "auto-included" },
    ]);
    const status = (await (await fetch(`${stack.url}/api/v1/system/status`)).json()) as { plugins: string[] };
    expect(status.plugins).toEqual(expect.arrayContaining(["organization", "apiKey"]));
  });

  it("gives a key with metadata.organizationId that organization and the creator's role", async () => {
    const key = await keyFor(owner, orgId);
    const res = await me(key);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      userId: owner.id,
      orgId,
      roles: ["owner"],
      authMethod: "api-key",
    });
    // Without organization metadata a key acts for its user only.
    expect(await (await me(await keyFor(owner))).json()).toMatchObject({
      userId: owner.id,
      orgId: null,
      roles: [],
    });
  });

  it("emails an invitation that links to the Account SPA, and the invitee's keys get the invited role", async () => {
    const invite = await owner.browser.post("/auth/v1/organization/invite-member", {
      email: invitee.email,
      role: "member",
      organizationId: orgId,
    });
    expect(invite.status, await invite.clone().text()).toBe(200);
    const invitationId = ((await invite.json()) as { id: string }).id;

    const email = await waitForEmail(stage, invitee.email);
    expect(email.kind).toBe("invitation");
    expect(email.subject).toContain("Acme");
    expect(email.text).toContain("as member");
    const link = new URL(linkIn(email, "/accept-invitation"));
    expect(link.origin).toBe(stack.outputs.accountUrl);
    expect(link.searchParams.get("id")).toBe(invitationId);

    const accept = await invitee.browser.post("/auth/v1/organization/accept-invitation", { invitationId });
    expect(accept.status, await accept.clone().text()).toBe(200);
    const res = await me(await keyFor(invitee, orgId));
    expect(await res.json()).toMatchObject({ userId: invitee.id, orgId, roles: ["member"] });
  });

  // Each of these reads a row with what it joins (Better Auth's joins, worker/db/join-relations.ts).
  it("shows an organization with its members and invitations, and an invitee the organization's name", async () => {
    const pat = await signUp("Pat");
    // Better Auth lists a user's invitations only for a verified address.
    await querySqlite(db, `UPDATE user SET emailVerified = 1 WHERE id = '${pat.id}'`);
    const invite = await owner.browser.post("/auth/v1/organization/invite-member", {
      email: pat.email,
      role: "admin",
      organizationId: orgId,
    });
    expect(invite.status, await invite.clone().text()).toBe(200);
    const invitationId = ((await invite.json()) as { id: string }).id;

    const mine = await pat.browser.get("/auth/v1/organization/list-user-invitations");
    expect(mine.status, await mine.clone().text()).toBe(200);
    expect(await mine.json()).toEqual([
      expect.objectContaining({
        id: invitationId,
        organizationId: orgId,
        organizationName: "Acme",
        email: pat.email,
        role: "admin",
        status: "pending",
      }),
    ]);

    const full = await owner.browser.get(
      `/auth/v1/organization/get-full-organization?organizationId=${orgId}`,
    );
    expect(full.status, await full.clone().text()).toBe(200);
    const org = (await full.json()) as {
      name: string;
      members: { role: string; userId: string; user: { email: string; name: string } }[];
      invitations: { id: string; email: string; status: string }[];
    };
    expect(org.name).toBe("Acme");
    expect(org.members).toContainEqual(
      expect.objectContaining({
        role: "owner",
        userId: owner.id,
        user: expect.objectContaining({ email: owner.email, name: "Olivia" }),
      }),
    );
    expect(org.members).toContainEqual(
      expect.objectContaining({
        role: "member",
        userId: invitee.id,
        user: expect.objectContaining({ email: invitee.email }),
      }),
    );
    expect(org.invitations).toContainEqual(
      expect.objectContaining({ id: invitationId, email: pat.email, status: "pending" }),
    );
    const limited = await owner.browser.get(
      `/auth/v1/organization/get-full-organization?organizationId=${orgId}&membersLimit=1`,
    );
    expect(((await limited.json()) as { members: unknown[] }).members).toHaveLength(1);

    const members = await owner.browser.get(`/auth/v1/organization/list-members?organizationId=${orgId}`);
    expect(members.status, await members.clone().text()).toBe(200);
    const listed = (await members.json()) as { members: { userId: string; user: { email: string } }[] };
    expect(listed.members.map((m) => m.user.email).sort()).toEqual([invitee.email, owner.email].sort());
  });

  it("refuses to create a key for an organization its owner is not a member of", async () => {
    const otherOrg = await createOrg(owner, "Globex");
    const res = await invitee.browser.post("/auth/v1/api-key/create", {
      metadata: { organizationId: otherOrg },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: "NOT_A_MEMBER_OF_ORGANIZATION" });
    const blank = await invitee.browser.post("/auth/v1/api-key/create", { metadata: { organizationId: 42 } });
    expect(blank.status).toBe(400);
  });

  it("takes a key's organization access away when its owner leaves the organization", async () => {
    const temp = await signUp("Tess");
    const invite = await owner.browser.post("/auth/v1/organization/invite-member", {
      email: temp.email,
      role: "admin",
      organizationId: orgId,
    });
    const invitationId = ((await invite.json()) as { id: string }).id;
    expect(
      (await temp.browser.post("/auth/v1/organization/accept-invitation", { invitationId })).status,
    ).toBe(200);
    const orgKey = await keyFor(temp, orgId);
    const plainKey = await keyFor(temp);
    expect(await (await me(orgKey)).json()).toMatchObject({ orgId, roles: ["admin"] });

    const removed = await owner.browser.post("/auth/v1/organization/remove-member", {
      memberIdOrEmail: temp.email,
      organizationId: orgId,
    });
    expect(removed.status, await removed.clone().text()).toBe(200);

    const refused = await me(orgKey);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: "api_key_org_revoked" });
    // The user still exists: their key without an organization keeps working.
    expect((await me(plainKey)).status).toBe(200);
  });

  it("lets a key list its owner's organizations", async () => {
    const key = await keyFor(owner);
    const res = await fetch(`${stack.url}/auth/v1/organization/list`, { headers: { "x-api-key": key } });
    expect(res.status).toBe(200);
    const names = ((await res.json()) as { name: string }[]).map((o) => o.name);
    expect(names).toContain("Acme");
  });

  it("does not rate limit keys by default, so a busy cron job keeps working", async () => {
    const key = await keyFor(owner);
    // Better Auth's own default (10 a day) would refuse the 11th.
    for (let i = 0; i < 25; i++) {
      const res = await fetch(`${stack.url}/auth/v1/get-session`, { headers: { "x-api-key": key } });
      expect(res.status, `request ${i + 1}`).toBe(200);
    }
    const rows = await querySqlite<{ rateLimitEnabled: number }>(
      db,
      `SELECT rateLimitEnabled FROM apikey WHERE referenceId = '${owner.id}'`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.rateLimitEnabled === 0)).toBe(true);
  });
});
