/** The public surface of a config's Worker: every Better Auth endpoint its plugins bring, plus authform's own routes. */
import path from "node:path";
import { loadConfig } from "../../../src/config/load.ts";
import type { PluginName } from "../../../src/config/plugins.ts";
import { planDeployment } from "../../../src/plan/plan-deployment.ts";
import { createWorker } from "../../../worker/app.ts";
import { createAuth } from "../../../worker/auth/create-auth.ts";
import type { WorkerEnv } from "../../../worker/env.ts";
import type { WorkerSpec } from "../../../worker/spec.ts";
import { pluginModules } from "../../support/plugin-modules.ts";

export interface Endpoint {
  method: "GET" | "POST";
  /** Absolute path, e.g. /auth/v1/sign-in/email; `:param` segments left as they are. */
  path: string;
  /** Where it came from, for reports. */
  source: "better-auth" | "worker";
}

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");

/** The same spec the generated entry hands the runtime: the plan's manifest and each enabled plugin's module. */
export async function specFor(configFile: string): Promise<WorkerSpec> {
  const config = await loadConfig(path.resolve(ROOT, configFile));
  const plan = planDeployment({ config, env: {}, stage: "endpoints", mode: "local", port: 1 });
  const plugins = await pluginModules(Object.keys(plan.manifest.plugins) as PluginName[]);
  return { manifest: plan.manifest, plugins };
}

/** Every endpoint a client can reach, deduplicated, in a stable order. */
export async function publicEndpoints(configFile: string): Promise<Endpoint[]> {
  const spec = await specFor(configFile);
  const found = new Map<string, Endpoint>();
  const add = (e: Endpoint) => found.set(`${e.method} ${e.path}`, e);

  // Better Auth's router: each endpoint carries its path and method(s); server-only ones are not routed.
  const env = {
    DB: emptyD1,
    BETTER_AUTH_SECRET: "endpoint-listing-secret-0123456789abcdef",
    BETTER_AUTH_URL: "http://localhost:1",
    ACCOUNT_URL: "http://localhost:1",
    APP_URL: "http://localhost:1",
    APP_NAME: "endpoints",
    AUTHFORM_STAGE: "endpoints",
    AUTHFORM_MODE: "local",
  } as WorkerEnv;
  const auth = createAuth(env, spec);
  for (const endpoint of Object.values(auth.api) as unknown as {
    path?: string;
    options?: { method?: string | string[]; metadata?: { SERVER_ONLY?: boolean } };
  }[]) {
    if (!endpoint.path || endpoint.options?.metadata?.SERVER_ONLY) continue;
    const methods = [endpoint.options?.method ?? "GET"].flat();
    for (const method of methods) {
      if (method === "GET" || method === "POST") {
        add({ method, path: `${spec.manifest.basePath}${endpoint.path}`, source: "better-auth" });
      } else if (method === "*") {
        add({ method: "GET", path: `${spec.manifest.basePath}${endpoint.path}`, source: "better-auth" });
        add({ method: "POST", path: `${spec.manifest.basePath}${endpoint.path}`, source: "better-auth" });
      }
    }
  }

  // authform's Hono routes: seed aliases, /api/v1, root /.well-known documents, the Account SPA.
  for (const route of createWorker(spec).routes) {
    if ((route.method === "GET" || route.method === "POST") && !route.path.includes("*")) {
      add({ method: route.method, path: route.path, source: "worker" });
    }
  }
  return [...found.values()].sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

/** Listing never needs data: a D1 that answers every query with nothing (plugins may look up keys at start). */
const emptyStatement = {
  bind: () => emptyStatement,
  all: async () => ({ results: [], success: true, meta: {} }),
  raw: async () => [],
  run: async () => ({ results: [], success: true, meta: {} }),
  first: async () => null,
};
const emptyD1 = {
  prepare: () => emptyStatement,
  batch: async () => [],
  exec: async () => ({ count: 0, duration: 0 }),
  withSession: () => emptyD1,
} as unknown as D1Database;
