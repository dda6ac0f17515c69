/**
 * A program's Worker bundle, built by the program itself, loaded into a fresh Miniflare (one workerd)
 * on a migrated D1 with the V8 inspector on: what bench/profile.ts and bench/memory-profile.ts attach to.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";
import { type BundleInfo, captureBundle } from "./bundle.ts";
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS, DATABASE_ID } from "./cold-start.ts";
import { freePort, type ProgramSpec, startProgram, workerVars, writeOwnBundles } from "./programs.ts";

export interface InspectedWorker {
  mf: Miniflare;
  /** Where workerd listens (loopback). */
  base: string;
  /** The origin the Worker believes it lives at (Better Auth checks Origin against it). */
  origin: string;
  inspectorPort: number;
  bundle: BundleInfo;
}

/** A program's bundle and plain vars: runs the program once (its stage bundles for itself), then stops it. */
export async function programBundle(
  spec: ProgramSpec,
  tmp: string,
): Promise<{ bundle: BundleInfo; vars: Record<string, string> }> {
  await writeOwnBundles();
  const running = await startProgram(spec);
  try {
    const bundle = await captureBundle(spec.bundleDir, path.join(tmp, spec.label));
    return { bundle, vars: await workerVars(spec) };
  } finally {
    await running.stop();
  }
}

/** Runs the program once to get its bundle and vars, stops it, and loads the bundle with the inspector on. */
export async function inspectedWorker(
  spec: ProgramSpec,
  tmp: string,
  persist: string,
): Promise<InspectedWorker> {
  const { bundle, vars } = await programBundle(spec, tmp);
  return inspectedMiniflare(bundle, vars, persist);
}

/**
 * The bundle in a fresh Miniflare with the inspector on. `entry` replaces the bundle's entry module
 * (a file of that name is added beside the bundle's own).
 */
export async function inspectedMiniflare(
  bundle: BundleInfo,
  vars: Record<string, string>,
  persist: string,
  entry?: { name: string; contents: string },
): Promise<InspectedWorker> {
  const inspectorPort = await freePort();
  const files = [bundle.entry, ...bundle.files.filter((f) => f !== bundle.entry)];
  const modules = await Promise.all(
    files.map(async (f) => ({
      type: f.endsWith(".wasm") ? ("CompiledWasm" as const) : ("ESModule" as const),
      path: path.join(bundle.dir, f),
      contents: await readFile(path.join(bundle.dir, f)),
    })),
  );
  if (entry) {
    modules.unshift({
      type: "ESModule" as const,
      path: path.join(bundle.dir, entry.name),
      contents: Buffer.from(entry.contents),
    });
  }
  const mf = new Miniflare({
    modules,
    modulesRoot: bundle.dir,
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
    bindings: { ...vars, BETTER_AUTH_SECRET: randomBytes(32).toString("hex") },
    d1Databases: { DB: DATABASE_ID },
    d1Persist: persist,
    inspectorPort,
    // No fetch of Cloudflare's request.cf data: the bench stays on loopback.
    cf: false,
    log: new Log(LogLevel.WARN),
  } as ConstructorParameters<typeof Miniflare>[0]);
  let base: string;
  try {
    base = (await mf.ready).origin;
  } catch (err) {
    await mf.dispose();
    throw err;
  }
  const origin = vars.BETTER_AUTH_URL ?? vars.API_URL ?? base;
  return { mf, base, origin, inspectorPort, bundle };
}
