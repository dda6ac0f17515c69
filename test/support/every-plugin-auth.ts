/**
 * The Worker's Better Auth with every plugin on, over a Miniflare D1 with the real migrations: what
 * the database-layer tests (test/db) compare adapters against, with the options the Worker runs.
 */
import { Miniflare } from "miniflare";
import { PLUGIN_NAMES } from "../../src/contract/plugins.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";
import { type Auth, authFor, createAuth } from "../../worker/auth/create-auth.ts";
import type { WorkerEnv } from "../../worker/env.ts";
import { applyMigrations } from "./apply-migrations.ts";
import { everyPluginConfig, pluginModules } from "./plugin-modules.ts";

export interface EveryPluginAuth {
  mf: Miniflare;
  /** The D1 binding as Miniflare gives it. */
  raw: D1Database;
  /** The binding the Worker's auth runs on: `raw`, or what `wrap` made of it. */
  db: D1Database;
  auth: Auth;
  /** The env the Worker's auth was built from. */
  env: WorkerEnv;
  /** A new isolate's auth: built again from the same env and plugins, on the same database. */
  isolate(): Auth;
}

export async function everyPluginAuth(
  name: string,
  wrap: (db: D1Database) => D1Database = (db) => db,
): Promise<EveryPluginAuth> {
  const plan = planDeployment({
    config: everyPluginConfig(name),
    env: {
      BETTER_AUTH_URL: "https://api.example.com",
      ACCOUNT_URL: "https://account.example.com",
      APP_URL: "https://app.example.com",
      ALCHEMY_PASSWORD: "x",
    },
    stage: "production",
    mode: "deploy",
  });
  const plugins = await pluginModules(PLUGIN_NAMES);
  const mf = new Miniflare({
    modules: true,
    script: "export default { fetch() { return new Response(null); } };",
    d1Databases: { DB: name },
  });
  const raw = (await mf.getD1Database("DB")) as unknown as D1Database;
  await applyMigrations(raw);
  const db = wrap(raw);
  const env = {
    ...(plan.vars as unknown as WorkerEnv),
    DB: db,
    BETTER_AUTH_SECRET: `${name}-test-secret-0123456789abcdef`,
  };
  const spec = { manifest: plan.manifest, plugins };
  return { mf, raw, db, env, auth: authFor(env, spec), isolate: () => createAuth(env, spec) };
}
