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
import { freePort, type ProgramSpec, startProgram, workerVars } from "./programs.ts";

export interface InspectedWorker {
  mf: Miniflare;
  /** Where workerd listens (loopback). */
  base: string;
  /** The origin the Worker believes it lives at (Better Auth checks Origin against it). */
  origin: string;
  inspectorPort: number;
  bundle: BundleInfo;
}

/** Runs the program once to get its bundle and vars, stops it, and loads the bundle with the inspector on. */
export async function inspectedWorker(
  spec: ProgramSpec,
  tmp: string,
  persist: string,
): Promise<InspectedWorker> {
  const running = await startProgram(spec);
  const bundle = await captureBundle(spec.bundleDir, path.join(tmp, spec.label));
  const vars = await workerVars(spec);
  await running.stop();

  const inspectorPort = await freePort();
  const files = [bundle.entry, ...bundle.files.filter((f) => f !== bundle.entry)];
  const mf = new Miniflare({
    modules: await Promise.all(
      files.map(async (f) => ({
        type: f.endsWith(".wasm") ? ("CompiledWasm" as const) : ("ESModule" as const),
        path: path.join(bundle.dir, f),
        contents: await readFile(path.join(bundle.dir, f)),
      })),
    ),
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
