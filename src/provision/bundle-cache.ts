/** Local runs reuse a Worker bundle when no file it was built from changed (this stage's last, or another stage's): no esbuild pass. */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { State, StateStoreType } from "alchemy";
import type { Plugin } from "esbuild";
import type { DeploymentPlan } from "../plan/types.ts";
import { digestInputs, metafileInputs, readJson, sha256 } from "./bundle-inputs.ts";
import { DelegatingStateStore } from "./delegating-state-store.ts";
import { publishBundle, sharedBundle } from "./shared-bundle-cache.ts";
import { zodEnglishOnly } from "./zod-english-only.ts";

/** What the last build was made from, written beside Alchemy's output once the Worker is up. */
interface BundleRecord {
  /** The caller's key: the build fingerprint plus everything else that shapes the bundle. */
  key: string;
  /** sha256 over every file esbuild read for that build (paths and bytes, from its metafile). */
  inputs: string;
  /** sha256 of the bundle itself: a hot reload that rewrote it since makes the record stale. */
  output: string;
}

const RECORD = "authform-bundle.json";

export interface BundleCache {
  /** Where Alchemy writes the bundle (its `bundle.outdir`) and where the record is kept. */
  dir: string;
  /** The bundle file Alchemy's esbuild writes for the entrypoint. */
  file: string;
  /** Changes whenever the bundle could: build fingerprint, compatibility date and flags. */
  key: string;
  /** The project root: esbuild's working directory, which the metafile's paths are relative to. */
  root: string;
}

/** A cache for an entrypoint's bundle in `dir` (esbuild names the output after the entry). */
export function bundleCache(entrypoint: string, dir: string, key: string, root: string): BundleCache {
  return {
    dir,
    file: path.join(dir, `${path.basename(entrypoint, path.extname(entrypoint))}.js`),
    key,
    root,
  };
}

/**
 * The last bundle's source when it is still exact: same key, same bytes in every input esbuild
 * read, and the bundle file untouched since. Undefined otherwise (then Alchemy bundles anew).
 */
export async function reusableBundle(cache: BundleCache): Promise<string | undefined> {
  const record = await readJson<BundleRecord>(path.join(cache.dir, RECORD));
  if (!record || record.key !== cache.key) return undefined;
  const [script, inputs] = await Promise.all([
    readFile(cache.file, "utf8").catch(() => undefined),
    lastBuildDigest(cache),
  ]);
  if (script === undefined || sha256(script) !== record.output || inputs !== record.inputs) return undefined;
  return script;
}

/** After Alchemy has bundled into `cache.dir`: remember what that bundle was made from. */
export async function recordBundle(cache: BundleCache): Promise<void> {
  const [script, inputs] = await Promise.all([
    readFile(cache.file, "utf8").catch(() => undefined),
    lastBuildDigest(cache),
  ]);
  if (script === undefined || inputs === undefined) return;
  const record: BundleRecord = { key: cache.key, inputs, output: sha256(script) };
  await writeFile(path.join(cache.dir, RECORD), `${JSON.stringify(record)}\n`);
}

/** One hash over every input of the last build; undefined when the metafile or an input is gone. */
async function lastBuildDigest(cache: BundleCache): Promise<string | undefined> {
  const inputs = await metafileInputs(cache.dir);
  return (
    inputs &&
    digestInputs(
      cache.root,
      inputs.map((input) => ({ name: input, file: input })),
    )
  );
}

interface BundleOptions {
  banner: { js: string };
  minify: true;
  plugins: Plugin[];
  outdir?: string;
}

/**
 * Names what the bundle options below do to the output beyond the inputs' bytes: a new value here
 * makes local stages bundle again instead of reusing a bundle built with the old options.
 */
const BUNDLE_OPTIONS = "minify zod-english-only";

/** The Worker props that say where its script comes from, and what to do once the Worker is up. */
export interface WorkerSource {
  props:
    | { entrypoint: string; bundle: BundleOptions }
    /** `bundle` is ignored beside `script`; it keeps the build fingerprint in the props (`--plan` reads it). */
    | { script: string; bundle: BundleOptions };
  /** Records a fresh local build so the next run can reuse it. */
  built(): Promise<void>;
}

/**
 * Deploys let Alchemy bundle (it skips an unchanged Worker there). Local runs bundle into the
 * stage's generated folder and, when nothing changed since, hand Alchemy that bundle as `script`,
 * so an unchanged re-run only restarts workerd. The banner names the build in the script either way.
 */
export async function workerSource(
  plan: Pick<DeploymentPlan, "mode" | "compatibilityDate" | "compatibilityFlags">,
  entrypoint: string,
  build: string,
  root: string,
): Promise<WorkerSource> {
  // Relative, so the same checkout on another machine (CI) gives the same props.
  const entry = path.relative(root, entrypoint);
  const banner = { js: `// authform build ${build}` };
  // Minified: half the bytes and a faster cold start (docs/PERFORMANCE.md). Alchemy keeps esbuild's
  // keepNames on, so functions and classes keep their names in stack traces. zod's English
  // messages only: its other 63 locales are code no isolate runs (zod-english-only.ts).
  const bundle = { banner, minify: true as const, plugins: [zodEnglishOnly()] };
  if (plan.mode === "deploy") return { props: { entrypoint: entry, bundle }, built: async () => {} };
  const dir = path.join(path.dirname(entrypoint), "bundle");
  const key = [build, BUNDLE_OPTIONS, plan.compatibilityDate, ...plan.compatibilityFlags].join(" ");
  const cache = bundleCache(entrypoint, dir, key, root);
  const local = { ...bundle, outdir: path.relative(root, dir) };
  // This stage's last bundle, else one another stage built from the same bytes (a new stage).
  const script = (await reusableBundle(cache)) ?? (await sharedBundle(cache));
  if (script !== undefined) return { props: { script, bundle: local }, built: async () => {} };
  // Both hash the inputs esbuild read; side by side, the file reads overlap.
  const built = async () => {
    await Promise.all([recordBundle(cache), publishBundle(cache)]);
  };
  return { props: { entrypoint: entry, bundle: local }, built };
}

/** Scripts longer than this are left out of state (a reused bundle is megabytes). */
const MAX_SCRIPT_IN_STATE = 64 * 1024;

/**
 * Keeps a reused bundle out of Alchemy's state: a Worker given `script` would otherwise have the
 * whole bundle serialized into its state file twice (props and output) on every run, which costs
 * more than the esbuild pass it saves. State keeps the script's first line (the build banner). Only
 * local runs pass `script`, and there Alchemy updates the Worker on every run anyway; deleting it
 * reads nothing from the script.
 */
export function withoutWorkerScripts(inner: StateStoreType): StateStoreType {
  return (scope) => new ScriptlessStateStore(inner(scope));
}

class ScriptlessStateStore extends DelegatingStateStore {
  override set(key: string, value: State): Promise<void> {
    if (value.kind !== "cloudflare::Worker") return this.inner.set(key, value);
    return this.inner.set(key, {
      ...value,
      props: withoutScript(value.props),
      output: withoutScript(value.output),
    });
  }
}

/** A copy without a long `script` (every other property, symbols included, as it was). */
function withoutScript<T>(resource: T): T {
  if (typeof resource !== "object" || resource === null) return resource;
  const script: unknown = (resource as { script?: unknown }).script;
  if (typeof script !== "string" || script.length <= MAX_SCRIPT_IN_STATE) return resource;
  const copy = Object.create(
    Object.getPrototypeOf(resource),
    Object.getOwnPropertyDescriptors(resource),
  ) as T & { script: string };
  const banner = script.split("\n", 1)[0];
  copy.script = `${banner}\n// authform: the ${script.length}-byte bundle is not kept in state (src/provision/bundle-cache.ts)\n`;
  return copy;
}
