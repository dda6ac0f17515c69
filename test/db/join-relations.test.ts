/**
 * Better Auth's joins (`advanced.database.joins`, worker/db/join-relations.ts) against its own
 * fallback (a second query per join, what authform ran before): for every join Better Auth 1.7 and
 * its bundled plugins ask the adapter for, with the arguments they pass, both give the same rows,
 * and the join is one D1 statement. Real Worker options (every plugin on), Miniflare's D1, the
 * real migrations.
 */

import type { DBAdapter, Where } from "@better-auth/core/db/adapter";
import type { BetterAuthOptions } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { drizzle } from "drizzle-orm/d1";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joinRelations } from "../../worker/db/join-relations.ts";
import { schema } from "../../worker/db/schema.ts";
import { everyPluginAuth } from "../support/every-plugin-auth.ts";

type Adapter = DBAdapter<BetterAuthOptions>;

let mf: Miniflare;
let options: BetterAuthOptions;
let joined: Adapter;
let fallback: Adapter;
let statements = 0;

/** The D1 binding, counting the statements prepared on it. */
function counted(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, key) {
      if (key === "prepare") {
        return (query: string) => {
          statements += 1;
          return target.prepare(query);
        };
      }
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

beforeAll(async () => {
  const stack = await everyPluginAuth("join-relations");
  mf = stack.mf;
  const db = stack.raw;
  // The Worker's own options: its plugins' fields and models, and the joins switch as it sets it.
  options = (await stack.auth.$context).options;
  joined = drizzleAdapter(drizzle(counted(db), { schema: { ...schema, ...joinRelations } }), {
    provider: "sqlite",
    schema,
  })(options);
  const noJoins = {
    ...options,
    advanced: { ...options.advanced, database: { ...options.advanced?.database, joins: false } },
  };
  fallback = drizzleAdapter(drizzle(counted(db), { schema }), { provider: "sqlite", schema })(noJoins);
  await seed();
});

afterAll(async () => {
  await mf?.dispose();
});

const day = 24 * 3600 * 1000;
/** Fixed times, so both adapters read the same rows (D1 keeps milliseconds). */
const at = (offset: number) => new Date(Date.UTC(2026, 11, 1) + offset);

/** 105 users (more than the 100 a join returns by default), one organization with all of them. */
async function seed(): Promise<void> {
  const create = (model: string, data: Record<string, unknown>) =>
    joined.create({ model, data, forceAllowId: true });
  const ids = Array.from({ length: 105 }, (_, i) => i);
  // Side by side: 210 one-by-one round trips into Miniflare would be most of this file's time.
  await Promise.all(
    ids.map((i) =>
      create("user", {
        id: `u${String(i).padStart(3, "0")}`,
        name: `User ${i}`,
        email: `user${i}@example.com`,
        emailVerified: i % 2 === 0,
        image: i === 0 ? "https://example.com/a.png" : null,
        createdAt: at(i),
        updatedAt: at(i + 1),
        twoFactorEnabled: false,
        banned: i === 3,
        banExpires: i === 3 ? at(30 * day) : null,
      }),
    ),
  );
  await create("account", {
    id: "a1",
    accountId: "u000",
    providerId: "credential",
    userId: "u000",
    password: "x",
    createdAt: at(0),
    updatedAt: at(0),
  });
  await create("account", {
    id: "a2",
    accountId: "gh-1",
    providerId: "github",
    userId: "u000",
    accessTokenExpiresAt: at(day),
    createdAt: at(1),
    updatedAt: at(1),
  });
  await create("account", {
    id: "a3",
    accountId: "gh-2",
    providerId: "github",
    userId: "u001",
    createdAt: at(2),
    updatedAt: at(2),
  });
  for (const [id, userId, expires] of [
    ["s1", "u000", 7 * day],
    ["s2", "u000", 8 * day],
    ["s3", "u001", -day],
  ] as const) {
    await create("session", {
      id,
      token: `token-${id}`,
      userId,
      expiresAt: new Date(Date.now() + expires),
      createdAt: at(5),
      updatedAt: at(6),
      ipAddress: "192.0.2.1",
      userAgent: "test",
      activeOrganizationId: id === "s1" ? "o1" : null,
    });
  }
  await create("organization", {
    id: "o1",
    name: "Acme",
    slug: "acme",
    createdAt: at(0),
    metadata: '{"tier":"gold"}',
  });
  await create("organization", { id: "o2", name: "Beta", slug: "beta", createdAt: at(1) });
  await Promise.all(
    ids.map((i) =>
      create("member", {
        id: `m${i}`,
        organizationId: "o1",
        userId: `u${String(i).padStart(3, "0")}`,
        role: i === 0 ? "owner" : "member",
        createdAt: at(i),
      }),
    ),
  );
  await create("member", { id: "mb", organizationId: "o2", userId: "u000", role: "admin", createdAt: at(9) });
  for (const [id, organizationId, email] of [
    ["i1", "o1", "new@example.com"],
    ["i2", "o2", "new@example.com"],
    ["i3", "o1", "other@example.com"],
  ] as const) {
    await create("invitation", {
      id,
      organizationId,
      email,
      role: "member",
      status: "pending",
      expiresAt: at(2 * day),
      createdAt: at(3),
      inviterId: "u000",
    });
  }
}

/** The same call on both adapters: the same result, and the joined one in a single statement. */
async function same<T>(call: (adapter: Adapter) => Promise<T>): Promise<T> {
  const expected = await call(fallback);
  statements = 0;
  const actual = await call(joined);
  expect(statements).toBe(1);
  expect(actual).toStrictEqual(expected);
  return actual;
}

const eq = (field: string, value: Where["value"]): Where => ({ field, value });

describe("Better Auth's joins, one statement each, as its fallback answers them", () => {
  it("the Worker turns joins on", () => {
    expect(options.advanced?.database?.joins).toBe(true);
  });

  it("findSession: session + user by token (get-session, /api/v1/me)", async () => {
    const found = await same((a) =>
      a.findOne<{ user: Record<string, unknown> }>({
        model: "session",
        where: [eq("token", "token-s1")],
        join: { user: true },
      }),
    );
    expect(found?.user).toMatchObject({
      id: "u000",
      emailVerified: true,
      image: "https://example.com/a.png",
    });
    expect(found?.user.createdAt).toBeInstanceOf(Date);
    expect(
      await same((a) => a.findOne({ model: "session", where: [eq("token", "nope")], join: { user: true } })),
    ).toBeNull();
  });

  it("findSessions: sessions + users by tokens, only active ones or all", async () => {
    const tokens = ["token-s1", "token-s2", "token-s3", "nope"];
    const all = await same((a) =>
      a.findMany({
        model: "session",
        limit: tokens.length,
        where: [{ field: "token", value: tokens, operator: "in" }],
        join: { user: true },
      }),
    );
    expect(all).toHaveLength(3);
    const active = await same((a) =>
      a.findMany({
        model: "session",
        limit: tokens.length,
        where: [
          { field: "token", value: tokens, operator: "in" },
          { field: "expiresAt", value: new Date(), operator: "gt" },
        ],
        join: { user: true },
      }),
    );
    expect(active).toHaveLength(2);
  });

  it("findAccountOwnerByKey: account + user, limit 2", async () => {
    const owner = await same((a) =>
      a.findMany<{ user: { id: string } }>({
        model: "account",
        where: [eq("providerId", "github"), eq("accountId", "gh-2")],
        limit: 2,
        join: { user: true },
      }),
    );
    expect(owner.map((row) => row.user.id)).toEqual(["u001"]);
  });

  it("findUserByEmail with accounts: user + every account (sign-in, social sign-in)", async () => {
    const found = await same((a) =>
      a.findOne<{ account: { id: string; accessTokenExpiresAt: unknown }[] }>({
        model: "user",
        where: [eq("email", "user0@example.com")],
        join: { account: true },
      }),
    );
    expect(found?.account.map((row) => row.id).sort()).toEqual(["a1", "a2"]);
    expect(found?.account.find((row) => row.id === "a2")?.accessTokenExpiresAt).toBeInstanceOf(Date);
    const none = await same((a) =>
      a.findOne<{ account: unknown[] }>({
        model: "user",
        where: [eq("email", "user7@example.com")],
        join: { account: true },
      }),
    );
    expect(none?.account).toEqual([]);
  });

  it("organization: findMemberByOrgId and findMemberById (member + user)", async () => {
    const member = await same((a) =>
      a.findOne<{ user: { email: string } }>({
        model: "member",
        where: [eq("userId", "u000"), eq("organizationId", "o2")],
        join: { user: true },
      }),
    );
    expect(member?.user.email).toBe("user0@example.com");
    await same((a) => a.findOne({ model: "member", where: [eq("id", "m42")], join: { user: true } }));
    await same((a) => a.findOne({ model: "member", where: [eq("id", "none")], join: { user: true } }));
  });

  it("organization: findFullOrganization (invitations + members, 100 by default or membersLimit)", async () => {
    for (const where of [[eq("id", "o1")], [eq("slug", "acme")]]) {
      const org = await same((a) =>
        a.findOne<{ member: unknown[]; invitation: unknown[] }>({
          model: "organization",
          where,
          join: { invitation: true, member: true },
        }),
      );
      expect(org?.member).toHaveLength(100);
      expect(org?.invitation).toHaveLength(2);
    }
    const limited = await same((a) =>
      a.findOne<{ member: unknown[] }>({
        model: "organization",
        where: [eq("id", "o1")],
        join: { invitation: true, member: { limit: 3 } },
      }),
    );
    expect(limited?.member).toHaveLength(3);
  });

  it("organization: listOrganizations (member + organization) and listUserInvitations (invitation + organization)", async () => {
    const orgs = await same((a) =>
      a.findMany<{ organization: { slug: string } }>({
        model: "member",
        where: [eq("userId", "u000")],
        join: { organization: true },
      }),
    );
    expect(orgs.map((row) => row.organization.slug).sort()).toEqual(["acme", "beta"]);
    const invites = await same((a) =>
      a.findMany<{ organization: { name: string } }>({
        model: "invitation",
        where: [eq("email", "new@example.com")],
        join: { organization: true },
      }),
    );
    expect(invites.map((row) => row.organization.name).sort()).toEqual(["Acme", "Beta"]);
  });
});
