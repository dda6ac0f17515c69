/**
 * oauthProvider's per-isolate resource seed (worker/auth/plugins/oauth-provider/unchanged-resources.ts):
 * a new isolate whose stored resource rows already match the config reads them and writes nothing;
 * a row that differs (an edit behind the config's back) is overwritten with the config, as
 * `resourceSeedMode: "overwrite"` promises. Real Worker options (every plugin on), a Miniflare D1
 * with the real migrations, each isolate's init run inside a request as the Worker runs it.
 */
import { Hono } from "hono";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Auth } from "../../worker/auth/create-auth.ts";
import { changesNothing } from "../../worker/auth/plugins/oauth-provider/unchanged-resources.ts";
import { d1Sessions } from "../../worker/db/d1-session.ts";
import type { WorkerEnv } from "../../worker/env.ts";
import { type EveryPluginAuth, everyPluginAuth } from "../support/every-plugin-auth.ts";
import { recordedD1 } from "../support/recorded-d1.ts";

let stack: EveryPluginAuth;
let mf: Miniflare;
/** The SQL of every statement prepared since the last reset. */
let prepared: string[] = [];

/** The binding, recording what is prepared on it (and on the D1 sessions a request opens). */
const recorded = (db: D1Database) => recordedD1(db, (sql) => prepared.push(sql));

/** A new isolate's first request: it builds the auth inside the request, as the Worker does; returns its statements. */
async function firstRequestOf(isolate: () => Auth): Promise<string[]> {
  const app = new Hono<{ Bindings: WorkerEnv }>();
  app.use("*", d1Sessions);
  app.get("/", async (c) => {
    await isolate().$context;
    return c.text("ok");
  });
  prepared = [];
  const response = await app.request("/", {}, stack.env);
  expect(response.status).toBe(200);
  return [...prepared];
}

const writesResources = (statements: string[]) =>
  statements.filter((sql) => /^\s*(update|insert into)\s+"oauthResource"/i.test(sql));

const storedRows = async () =>
  (
    await stack.raw
      .prepare('select identifier, allowedScopes, policyVersion from "oauthResource" order by identifier')
      .all()
  ).results;

beforeAll(async () => {
  stack = await everyPluginAuth("unchanged-resources", recorded);
  mf = stack.mf;
});

afterAll(async () => {
  await mf?.dispose();
});

describe("oauthProvider's resource seed in a new isolate", () => {
  it("the first isolate inserts the configured resources", async () => {
    const statements = await firstRequestOf(stack.isolate);
    expect(writesResources(statements).some((sql) => /^\s*insert/i.test(sql))).toBe(true);
    expect((await storedRows()).length).toBeGreaterThan(0);
  });

  it("a new isolate whose rows match the config reads them and writes nothing", async () => {
    const before = await storedRows();
    const statements = await firstRequestOf(stack.isolate);
    expect(statements.some((sql) => /from\s+"oauthResource"/i.test(sql))).toBe(true);
    expect(writesResources(statements)).toEqual([]);
    expect(await storedRows()).toEqual(before);
  });

  it("a row edited behind the config's back is overwritten with the config again", async () => {
    const before = await storedRows();
    const [first] = before as { identifier: string }[];
    await stack.raw
      .prepare('update "oauthResource" set allowedScopes = ?, policyVersion = 7 where identifier = ?')
      .bind('["edited"]', first?.identifier)
      .run();
    const statements = await firstRequestOf(stack.isolate);
    expect(writesResources(statements).some((sql) => /^\s*update/i.test(sql))).toBe(true);
    expect(await storedRows()).toEqual(before);
  });
});

describe("within one request", () => {
  it("an update after another write to the row is written, not judged by the stale read", async () => {
    const app = new Hono<{ Bindings: WorkerEnv }>();
    app.use("*", d1Sessions);
    app.get("/", async (c) => {
      const { adapter } = await stack.isolate().$context;
      const [first] = (await storedRows()) as { identifier: string }[];
      const where = [{ field: "identifier", value: first?.identifier as string }];
      const read = await adapter.findOne<{ allowedScopes: string[] | null }>({
        model: "oauthResource",
        where,
      });
      const original = read?.allowedScopes ?? null;
      await adapter.update({ model: "oauthResource", where, update: { allowedScopes: ["changed"] } });
      // The same values as the read: a stale read would call this a no-op and leave "changed".
      await adapter.update({ model: "oauthResource", where, update: { allowedScopes: original } });
      return c.json({ original });
    });
    const response = await app.request("/", {}, stack.env);
    expect(response.status).toBe(200);
    const { original } = (await response.json()) as { original: string[] | null };
    const [row] = (await storedRows()) as { allowedScopes: string | null }[];
    expect(row?.allowedScopes === null ? null : JSON.parse(row?.allowedScopes as string)).toEqual(original);
  });
});

describe("changesNothing", () => {
  const at = new Date(Date.UTC(2026, 11, 1));
  const row = {
    name: "api",
    allowedScopes: ["a", "b"],
    accessTokenTtl: null,
    disabled: false,
    updatedAt: at,
  };

  it("ignores the time of the write, and reads null and undefined alike", () => {
    expect(
      changesNothing(row, { ...row, accessTokenTtl: undefined, updatedAt: new Date(at.getTime() + 1) }),
    ).toBe(true);
  });

  it("sees every other difference", () => {
    expect(changesNothing(row, { ...row, allowedScopes: ["a"] })).toBe(false);
    expect(changesNothing(row, { ...row, allowedScopes: ["b", "a"] })).toBe(false);
    expect(changesNothing(row, { ...row, disabled: true })).toBe(false);
    expect(changesNothing(row, { ...row, accessTokenTtl: 0 })).toBe(false);
    expect(changesNothing(row, { ...row, name: "api2" })).toBe(false);
    expect(changesNothing({ ...row, policyVersion: 7 }, { ...row, policyVersion: 1 })).toBe(false);
  });
});
