/**
 * The catalogue's table lists (src/contract/plugins.ts) against the real thing: migrations/ applied
 * to a D1 database, the tables Better Auth adds for each plugin's runtime module as the generated
 * entry loads it (worker/auth/plugins/<name>/index.ts), and the tables in the plugin's folder.
 */
import { access } from "node:fs/promises";
import path from "node:path";
import type { BetterAuthPlugin } from "better-auth";
import { getAuthTables } from "better-auth/db";
import { is } from "drizzle-orm";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse.ts";
import { CORE_TABLES, PLUGIN_NAMES, PLUGIN_TABLES, type PluginName } from "../../src/contract/plugins.ts";
import { pluginModulePath } from "../../src/generate/worker-entry.ts";
import { defineAuth, defineConfig } from "../../src/index.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";
import type { WorkerEnv } from "../../worker/env.ts";
import { applyMigrations } from "../support/apply-migrations.ts";
import { pluginModule } from "../support/plugin-modules.ts";
import { pluginsOn } from "../support/plugins-on.ts";
import { ROOT } from "../support/stack.ts";

let mf: Miniflare;
let migrated: string[];

beforeAll(async () => {
  mf = new Miniflare({ modules: true, script: "export default {}", d1Databases: { DB: "tables" } });
  const db = await mf.getD1Database("DB");
  await applyMigrations(db);
  const { results } = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name",
    )
    .all<{ name: string }>();
  migrated = results.map((r) => r.name);
});

afterAll(async () => {
  await mf?.dispose();
});

/** Every plugin on, as a config would write it, so each runtime module gets its real manifest and options. */
const manifest = planDeployment({
  config: parseConfig(
    defineConfig({
      name: "tables",
      providers: {
        auth: defineAuth("better-auth", {
          emailAndPassword: { enabled: true },
          plugins: pluginsOn(PLUGIN_NAMES),
        }),
      },
    }),
  ),
  env: {},
  stage: "tables",
  mode: "local",
  port: 1337,
}).manifest;

const env = {
  BETTER_AUTH_SECRET: "a-test-secret-of-at-least-32-characters",
  BETTER_AUTH_URL: "http://localhost:1337",
  ACCOUNT_URL: "http://localhost:1337",
  APP_URL: "http://localhost:1337",
  APP_NAME: "Tables",
  AUTHFORM_STAGE: "tables",
  AUTHFORM_MODE: "local",
} as WorkerEnv;

/** The Better Auth plugins a plugin's runtime module contributes, loaded the way the generated entry loads it. */
async function runtimePlugins(name: PluginName): Promise<BetterAuthPlugin[]> {
  const plugin = await pluginModule(name);
  return plugin.betterAuth({
    env,
    manifest,
    options: manifest.plugins[name] ?? {},
    email: { send: async () => {} },
    emailAfterResponse: { send: async () => {} },
  });
}

/** Table names Better Auth creates for a set of plugins (D1 rate limiting on, as worker/auth/rate-limit.ts). */
function tableNames(plugins: BetterAuthPlugin[]): string[] {
  return Object.values(getAuthTables({ rateLimit: { storage: "database" }, plugins }))
    .filter((table) => !table.disableMigrations)
    .map((table) => table.modelName);
}

describe("the catalogue's tables", () => {
  it("name every migrated table exactly once: the core's and each plugin's", () => {
    const claimed = [...CORE_TABLES, ...PLUGIN_NAMES.flatMap((name) => PLUGIN_TABLES[name])];
    expect(new Set(claimed).size, "a table claimed twice").toBe(claimed.length);
    expect([...claimed].sort()).toEqual(migrated);
  });

  it.each(PLUGIN_NAMES)(
    "%s: its tables are the ones Better Auth adds for its runtime module",
    async (name) => {
      const core = new Set(tableNames([]));
      const added = tableNames(await runtimePlugins(name)).filter((table) => !core.has(table));
      expect(added.sort()).toEqual([...PLUGIN_TABLES[name]].sort());
    },
  );

  it.each(PLUGIN_NAMES)("%s: its folder's schema.ts declares exactly its tables", async (name) => {
    const file = path.join(ROOT, "worker", path.dirname(pluginModulePath(name)), "schema.ts");
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    // A plugin without tables of its own has no schema.ts.
    expect(exists).toBe(PLUGIN_TABLES[name].length > 0);
    if (!exists) return;
    const exported = Object.values(await import(file)).filter((value) => is(value, SQLiteTable));
    const declared = exported.map((table) => getTableConfig(table as SQLiteTable).name);
    expect(declared.sort()).toEqual([...PLUGIN_TABLES[name]].sort());
  });

  it("core tables are the ones Better Auth needs with no plugin, and authform's own", () => {
    const own = ["accountAttempt", "auditLog", "webhookDeadLetter"];
    expect([...tableNames([]), ...own].sort()).toEqual([...CORE_TABLES].sort());
  });
});
