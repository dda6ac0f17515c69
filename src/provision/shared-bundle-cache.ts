/**
 * A new local stage reuses the Worker bundle another stage built from the same bytes, instead of
 * running esbuild again (about 2 s of a first start). Content-addressed under .authform/bundle-cache/:
 * the entry's name is a hash of the key (build fingerprint: generated entry, worker/, account/,
 * lockfiles; compatibility date and flags), and a hit also needs every file esbuild read to hash as
 * it did for that build, and the bundle's own bytes to match the record.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { type BundleInput, digestInputs, metafileInputs, readJson, sha256 } from "./bundle-inputs.ts";

/** Entries kept (one per config and source state; a bundle is about 0.8 MB); least recently used go first. */
export const MAX_SHARED_BUNDLES = 32;
/** A writer's temp folder older than this was left by a killed run. */
const STALE_TEMP_MS = 10 * 60_000;
const SCRIPT = "worker.js";
const RECORD = "record.json";
const TEMP_PREFIX = ".tmp-";
/** Stands for the stage's own generated folder in input names: the same sources name alike in every stage. */
const STAGE = "<stage>/";

/** A stage's bundle: where Alchemy's esbuild writes it (and its metafile), and what shapes it. */
export interface StageBundle {
  /** The stage's bundle folder, inside its generated folder. */
  dir: string;
  /** The bundle file in `dir`. */
  file: string;
  /** Changes whenever the bundle could. */
  key: string;
  /** The project root: esbuild's working directory, which the metafile's paths are relative to. */
  root: string;
}

interface SharedRecord {
  key: string;
  /** Input names, the stage's own generated files as `<stage>/…`. */
  inputs: string[];
  /** digestInputs over them when the bundle was built. */
  digest: string;
  /** sha256 of the bundle. */
  output: string;
}

export function sharedBundleDir(root: string): string {
  return path.join(root, ".authform", "bundle-cache");
}

function entryDir(stage: StageBundle): string {
  return path.join(sharedBundleDir(stage.root), sha256(stage.key).slice(0, 32));
}

/** Input names as this stage's files: `<stage>/x` is `x` in the stage's generated folder. */
function stageInputs(stage: StageBundle, names: string[]): BundleInput[] {
  const prefix = `${path.relative(stage.root, path.dirname(stage.dir)).split(path.sep).join("/")}/`;
  return names.map((name) =>
    name.startsWith(STAGE) ? { name, file: prefix + name.slice(STAGE.length) } : { name, file: name },
  );
}

function sharedNames(stage: StageBundle, inputs: string[]): string[] {
  const prefix = `${path.relative(stage.root, path.dirname(stage.dir)).split(path.sep).join("/")}/`;
  return inputs.map((input) => (input.startsWith(prefix) ? STAGE + input.slice(prefix.length) : input));
}

/** The shared bundle for this stage's key when every input still hashes as it did; else undefined. */
export async function sharedBundle(stage: StageBundle): Promise<string | undefined> {
  const dir = entryDir(stage);
  const record = await readJson<SharedRecord>(path.join(dir, RECORD));
  if (!record || record.key !== stage.key || !Array.isArray(record.inputs)) return undefined;
  const [script, digest] = await Promise.all([
    readFile(path.join(dir, SCRIPT), "utf8").catch(() => undefined),
    digestInputs(stage.root, stageInputs(stage, record.inputs)),
  ]);
  if (script === undefined || digest !== record.digest || sha256(script) !== record.output) return undefined;
  // Recently used: eviction goes by the folder's mtime.
  const now = new Date();
  await utimes(dir, now, now).catch(() => undefined);
  return script;
}

/**
 * After Alchemy bundled into `stage.dir`: shares the bundle under its key. Written to a temp
 * folder and renamed into place, so a reader (another stage starting at once) sees a whole entry
 * or none; a reader that meets a replaced entry midway finds the hashes disagree and bundles itself.
 */
export async function publishBundle(stage: StageBundle): Promise<void> {
  const [inputs, script] = await Promise.all([
    metafileInputs(stage.dir),
    readFile(stage.file, "utf8").catch(() => undefined),
  ]);
  if (!inputs || script === undefined) return;
  const names = sharedNames(stage, inputs).sort();
  const digest = await digestInputs(stage.root, stageInputs(stage, names));
  if (digest === undefined) return;
  const record: SharedRecord = { key: stage.key, inputs: names, digest, output: sha256(script) };
  const shared = sharedBundleDir(stage.root);
  const temp = tempName(shared);
  await mkdir(temp, { recursive: true });
  try {
    await writeFile(path.join(temp, SCRIPT), script);
    await writeFile(path.join(temp, RECORD), `${JSON.stringify(record)}\n`);
    const final = entryDir(stage);
    if (!(await moveInto(temp, final))) {
      // Taken: keep it when it says the same; a different digest (inputs changed since) is replaced.
      const existing = await readJson<SharedRecord>(path.join(final, RECORD));
      if (existing?.digest !== digest || existing.output !== record.output) {
        await discard(shared, final);
        // Another stage may have moved its entry in meanwhile: then that one stays.
        await moveInto(temp, final);
      }
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  await prune(shared);
}

/** rename(2) of a folder: atomic, and fails when the target exists and is not empty. */
async function moveInto(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch {
    return false;
  }
}

/** Keeps the most recently used entries and removes temp folders a killed writer left. */
async function prune(shared: string): Promise<void> {
  const names = await readdir(shared).catch(() => [] as string[]);
  const entries = await Promise.all(
    names.map(async (name) => ({
      name,
      mtime: (await stat(path.join(shared, name)).catch(() => undefined))?.mtimeMs ?? 0,
    })),
  );
  const now = Date.now();
  const stale = entries.filter((e) => e.name.startsWith(TEMP_PREFIX) && now - e.mtime > STALE_TEMP_MS);
  const old = entries
    .filter((e) => !e.name.startsWith(TEMP_PREFIX))
    .sort((a, b) => b.mtime - a.mtime)
    .slice(MAX_SHARED_BUNDLES);
  await Promise.all([
    ...stale.map((e) =>
      rm(path.join(shared, e.name), { recursive: true, force: true }).catch(() => undefined),
    ),
    ...old.map((e) => discard(shared, path.join(shared, e.name))),
  ]);
}

function tempName(shared: string): string {
  return path.join(shared, `${TEMP_PREFIX}${process.pid}-${randomBytes(4).toString("hex")}`);
}

/**
 * Removes an entry without racing a writer: renamed aside first (atomic; the name is then free for
 * a writer's rename), then deleted. Gone already, or taken by another run: nothing to do.
 */
async function discard(shared: string, dir: string): Promise<void> {
  const aside = tempName(shared);
  if (await moveInto(dir, aside)) await rm(aside, { recursive: true, force: true }).catch(() => undefined);
}
