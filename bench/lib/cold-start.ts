/**
 * Cold start: a captured bundle loaded into a fresh Miniflare (a fresh workerd) on a migrated D1, timed
 * from construction to its first successful response. An empty Worker is timed the same way as the floor.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Miniflare, type WorkerOptions } from "miniflare";

export const COMPATIBILITY_DATE = "2025-09-01";
export const COMPATIBILITY_FLAGS = ["nodejs_compat"];
const BREAKPOINT = "--> statement-breakpoint";
/** The D1 `prepareD1` migrates; a Worker opening the same persist folder opens it by this id. */
export const DATABASE_ID = "bench-cold-start-db";

export interface ColdStartTarget {
  label: string;
  /** Folder holding the bundle's modules; undefined → the empty baseline Worker. */
  dir?: string;
  files?: string[];
  entry?: string;
  vars: Record<string, string>;
}

export interface ColdStartSample {
  /** new Miniflare() → ready (workerd started, script loaded and evaluated). */
  readyMs: number;
  /** ready → first 200 from GET /auth/v1/get-session (first request builds Better Auth). */
  firstRequestMs: number;
  /** construction → first 200: the cold start. */
  totalMs: number;
  /** the second request on the same isolate, for contrast. */
  warmRequestMs: number;
}

/** Applies migrations/ once into a persisted D1 that every cold-start instance then opens. */
export async function prepareD1(persistDir: string, migrationsDir: string): Promise<void> {
  const mf = new Miniflare({
    modules: true,
    script: "export default { fetch() { return new Response(null); } };",
    compatibilityDate: COMPATIBILITY_DATE,
    d1Databases: { DB: DATABASE_ID },
    d1Persist: persistDir,
  });
  try {
    const db = await mf.getD1Database("DB");
    const names = (await readdir(migrationsDir)).filter((n) => n.endsWith(".sql")).sort();
    for (const name of names) {
      const sql = await readFile(path.join(migrationsDir, name), "utf8");
      const statements = sql.split(BREAKPOINT).filter((s) => s.trim());
      await db.batch(statements.map((s) => db.prepare(s)));
    }
  } finally {
    await mf.dispose();
  }
}

async function workerOptions(target: ColdStartTarget): Promise<WorkerOptions> {
  if (!target.dir || !target.files || !target.entry) {
    return { modules: true, script: "export default { fetch() { return Response.json(null); } };" };
  }
  const dir = target.dir;
  // Source maps are left out: Cloudflare does not load them as modules.
  const files = [target.entry, ...target.files.filter((f) => f !== target.entry)];
  const modules = await Promise.all(
    files.map(async (f) => ({
      type: f.endsWith(".wasm") ? ("CompiledWasm" as const) : ("ESModule" as const),
      path: path.join(dir, f),
      contents: await readFile(path.join(dir, f)),
    })),
  );
  return { modules, modulesRoot: dir };
}

export async function coldStart(target: ColdStartTarget, persistDir: string): Promise<ColdStartSample> {
  const options = await workerOptions(target);
  const url = `${target.vars.BETTER_AUTH_URL ?? "http://localhost"}/auth/v1/get-session`;
  const t0 = performance.now();
  const mf = new Miniflare({
    ...options,
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
    bindings: target.vars,
    d1Databases: { DB: DATABASE_ID },
    d1Persist: persistDir,
  } as ConstructorParameters<typeof Miniflare>[0]);
  try {
    await mf.ready;
    const t1 = performance.now();
    const first = await mf.dispatchFetch(url);
    await first.text();
    const t2 = performance.now();
    if (first.status !== 200) throw new Error(`${target.label}: first response was ${first.status}`);
    const second = await mf.dispatchFetch(url);
    await second.text();
    const t3 = performance.now();
    return { readyMs: t1 - t0, firstRequestMs: t2 - t1, totalMs: t2 - t0, warmRequestMs: t3 - t2 };
  } finally {
    await mf.dispose();
  }
}
