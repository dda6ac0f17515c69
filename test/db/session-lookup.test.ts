/**
 * The session lookup (worker/db/session-lookup.ts) against the adapter it stands in for: for
 * Better Auth's `findSession` call, the same row, field for field (keys in the same order, Dates,
 * booleans, nulls), in one statement of its own; every other call goes to the adapter untouched.
 * Real Worker options (every plugin on, so every field a plugin adds to session and user),
 * Miniflare's D1, the real migrations.
 */

import type { DBAdapter, Where } from "@better-auth/core/db/adapter";
import type { BetterAuthOptions } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Auth } from "../../worker/auth/create-auth.ts";
import { d1Sessions, routedD1 } from "../../worker/db/d1-session.ts";
import { joinRelations } from "../../worker/db/join-relations.ts";
import { schema } from "../../worker/db/schema.ts";
import { sessionLookupInOneStatement } from "../../worker/db/session-lookup.ts";
import type { WorkerEnv } from "../../worker/env.ts";
import { everyPluginAuth } from "../support/every-plugin-auth.ts";
import { recordedD1 } from "../support/recorded-d1.ts";

type Adapter = DBAdapter<BetterAuthOptions>;

let mf: Miniflare;
let auth: Auth;
let adapter: Adapter;
let lookup: Adapter;
/** As the Worker builds it: the lookup and its adapter on the current request's D1 session. */
let routed: Adapter;
let env: WorkerEnv;
/** The SQL of every statement prepared since the last reset. */
let prepared: string[] = [];

/** The binding, recording what is prepared on it (and on the D1 sessions a request opens). */
const recorded = (db: D1Database) => recordedD1(db, (sql) => prepared.push(sql));

const day = 24 * 3600 * 1000;
const at = (offset: number) => new Date(Date.UTC(2026, 11, 1) + offset);

beforeAll(async () => {
  const stack = await everyPluginAuth("session-lookup", recorded);
  mf = stack.mf;
  auth = stack.auth;
  const db = stack.db;
  // The Worker's own options: every field its plugins add to session and user.
  const options = (await auth.$context).options;
  const drizzleOnly = drizzleAdapter(drizzle(db, { schema: { ...schema, ...joinRelations } }), {
    provider: "sqlite",
    schema,
  });
  adapter = drizzleOnly(options);
  lookup = sessionLookupInOneStatement(drizzleOnly, db, schema)(options);
  env = stack.env;
  const d1 = routedD1(db);
  const onSession = drizzleAdapter(drizzle(d1, { schema: { ...schema, ...joinRelations } }), {
    provider: "sqlite",
    schema,
  });
  routed = sessionLookupInOneStatement(onSession, d1, schema)(options);
  await seed();
});

afterAll(async () => {
  await mf?.dispose();
});

async function seed(): Promise<void> {
  const create = (model: string, data: Record<string, unknown>) =>
    adapter.create({ model, data, forceAllowId: true });
  // Every field set, and every field a plugin adds at its non-default value.
  await create("user", {
    id: "u-full",
    name: "Full Fields",
    email: "full@example.com",
    emailVerified: true,
    image: "https://example.com/a.png",
    createdAt: at(0),
    updatedAt: at(1),
    isAnonymous: true,
    twoFactorEnabled: true,
    role: "admin,user",
    banned: true,
    banReason: "spam",
    banExpires: at(30 * day),
  });
  // Only what is required: the optional fields stay null (or their column default).
  await create("user", {
    id: "u-bare",
    name: "Bare",
    email: "bare@example.com",
    emailVerified: false,
    createdAt: at(2),
    updatedAt: at(3),
  });
  await create("session", {
    id: "s-full",
    token: "token-full",
    userId: "u-full",
    expiresAt: at(7 * day),
    createdAt: at(5),
    updatedAt: at(6),
    ipAddress: "192.0.2.1",
    userAgent: "Mozilla/5.0 (test)",
    activeOrganizationId: "o1",
    impersonatedBy: "u-bare",
  });
  await create("session", {
    id: "s-bare",
    token: "token-bare",
    userId: "u-bare",
    expiresAt: at(-day),
    createdAt: at(5),
    updatedAt: at(5),
  });
}

/** The lookup's statement, as no other read words it. */
const LOOKUP = / from "session" s left join "user" u on /;

const byToken = (token: string): Parameters<Adapter["findOne"]>[0] => ({
  model: "session",
  where: [{ value: token, field: "token" }],
  join: { user: true },
});

/** The same call both ways: equal results, keys in the same order, the lookup in one statement of its own. */
async function same(args: Parameters<Adapter["findOne"]>[0]) {
  const expected = await adapter.findOne<Record<string, unknown>>(args);
  prepared = [];
  const actual = await lookup.findOne<Record<string, unknown>>(args);
  expect(actual).toStrictEqual(expected);
  if (expected) {
    expect(Object.keys(actual ?? {})).toEqual(Object.keys(expected));
    const user = expected.user as Record<string, unknown> | null;
    if (user) expect(Object.keys((actual?.user as object) ?? {})).toEqual(Object.keys(user));
  }
  return { actual, statements: [...prepared] };
}

describe("the session lookup answers findSession as the adapter does", () => {
  it("a session and user with every field set, plugins' fields included", async () => {
    const { actual, statements } = await same(byToken("token-full"));
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(LOOKUP);
    const user = actual?.user as Record<string, unknown>;
    expect(user).toMatchObject({ id: "u-full", emailVerified: true, banned: true, role: "admin,user" });
    expect(user.banExpires).toBeInstanceOf(Date);
    expect(actual?.expiresAt).toBeInstanceOf(Date);
    expect(actual).toMatchObject({ activeOrganizationId: "o1", impersonatedBy: "u-bare" });
  });

  it("a session and user with only the required fields (nulls and column defaults)", async () => {
    const { actual, statements } = await same(byToken("token-bare"));
    expect(statements).toHaveLength(1);
    expect(actual).toMatchObject({ ipAddress: null, activeOrganizationId: null });
    expect(actual?.user).toMatchObject({ image: null, banned: false, isAnonymous: false });
  });

  it("an unknown token, and tokens shaped like SQL, find nothing", async () => {
    for (const token of ["nope", "", "' or 1=1 --", 'token-full" or "1"="1', "token-full%", "TOKEN-FULL"]) {
      const { actual, statements } = await same(byToken(token));
      expect(actual).toBeNull();
      expect(statements).toHaveLength(1);
    }
  });

  it("Better Auth's own findSession runs through it in the Worker (create-auth.ts wires it)", async () => {
    const context = await auth.$context;
    prepared = [];
    const found = await context.internalAdapter.findSession("token-full");
    expect(found?.user.email).toBe("full@example.com");
    expect(prepared).toHaveLength(1);
    expect(prepared[0]).toMatch(LOOKUP);
  });

  it("every other call goes to the adapter as it was", async () => {
    const others: Parameters<Adapter["findOne"]>[0][] = [
      { model: "session", where: [{ value: "token-full", field: "token" }] },
      { ...byToken("token-full"), select: ["id", "userId"] },
      { ...byToken("token-full"), where: [{ value: "token-full", field: "token", operator: "ne" }] },
      { ...byToken("TOKEN-FULL"), where: [{ value: "TOKEN-FULL", field: "token", mode: "insensitive" }] },
      { ...byToken("s-full"), where: [{ value: "s-full", field: "id" }] },
      {
        ...byToken("token-full"),
        where: [{ value: "token-full", field: "token" }, { value: "u-full", field: "userId" } as Where],
      },
      { model: "user", where: [{ value: "u-full", field: "id" }] },
    ];
    for (const args of others) {
      const { statements } = await same(args);
      expect(statements.every((sql) => !LOOKUP.test(sql))).toBe(true);
    }
  });
});

/** Runs `work` inside one Worker request (its D1 session and request state), and returns what it returned. */
async function inOneRequest<T>(work: () => Promise<T>): Promise<T> {
  const app = new Hono<{ Bindings: WorkerEnv }>();
  app.use("*", d1Sessions);
  let result: T | undefined;
  app.get("/", async (c) => {
    result = await work();
    return c.text("ok");
  });
  expect((await app.request("/", {}, env)).status).toBe(200);
  return result as T;
}

const lookups = () => prepared.filter((sql) => LOOKUP.test(sql)).length;

describe("inside one request (a before-hook and then the endpoint asking for the session)", () => {
  it("reads a token once however often the request looks it up, and gives each caller its own copy", async () => {
    prepared = [];
    const [first, second] = await inOneRequest(async () => [
      await routed.findOne<Record<string, unknown>>(byToken("token-full")),
      await routed.findOne<Record<string, unknown>>(byToken("token-full")),
    ]);
    expect(lookups()).toBe(1);
    expect(second).toStrictEqual(first);
    expect(second).not.toBe(first);
    expect(second?.user).not.toBe(first?.user);
    expect(second?.expiresAt).not.toBe(first?.expiresAt);
  });

  it("reads it afresh once the request has written: the second lookup sees the write", async () => {
    prepared = [];
    const [before, after] = await inOneRequest(async () => {
      const seen = await routed.findOne<Record<string, unknown>>(byToken("token-full"));
      await routed.update({
        model: "session",
        where: [{ field: "id", value: "s-full" }],
        update: { ipAddress: "198.51.100.9" },
      });
      return [seen, await routed.findOne<Record<string, unknown>>(byToken("token-full"))];
    });
    expect(lookups()).toBe(2);
    expect(before?.ipAddress).toBe("192.0.2.1");
    expect(after?.ipAddress).toBe("198.51.100.9");
    await adapter.update({
      model: "session",
      where: [{ field: "id", value: "s-full" }],
      update: { ipAddress: "192.0.2.1" },
    });
  });

  it("a session deleted in the request is gone for the rest of it", async () => {
    await adapter.create({
      model: "session",
      data: {
        id: "s-gone",
        token: "token-gone",
        userId: "u-bare",
        expiresAt: at(day),
        createdAt: at(5),
        updatedAt: at(5),
      },
      forceAllowId: true,
    });
    const [before, after] = await inOneRequest(async () => {
      const seen = await routed.findOne(byToken("token-gone"));
      await routed.delete({ model: "session", where: [{ field: "token", value: "token-gone" }] });
      return [seen, await routed.findOne(byToken("token-gone"))];
    });
    expect(before).not.toBeNull();
    expect(after).toBeNull();
  });

  it("each request reads for itself", async () => {
    prepared = [];
    await inOneRequest(() => routed.findOne(byToken("token-bare")));
    await inOneRequest(() => routed.findOne(byToken("token-bare")));
    expect(lookups()).toBe(2);
  });
});
