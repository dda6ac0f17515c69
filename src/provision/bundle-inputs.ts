/** The files an esbuild pass read (its metafile), hashed: what a bundle may be reused against. */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";

export const METAFILE = "metafile.json";

/** One input: the name it is hashed under, and the file (relative to the project root) read for it. */
export interface BundleInput {
  name: string;
  file: string;
}

/** The input paths (relative to esbuild's working directory) of the build that wrote `dir`'s metafile. */
export async function metafileInputs(dir: string): Promise<string[] | undefined> {
  const metafile = await readJson<{ inputs?: Record<string, unknown> }>(path.join(dir, METAFILE));
  return metafile?.inputs ? Object.keys(metafile.inputs).sort() : undefined;
}

/**
 * One hash over the inputs' names and bytes, in the given order; undefined when an input is gone.
 * Virtual modules of Alchemy's esbuild plugins (its unenv polyfills) have no file; the plugin code
 * that makes them is pinned by the lockfile, which is part of every cache key.
 */
export async function digestInputs(root: string, inputs: BundleInput[]): Promise<string | undefined> {
  const isVirtual = (file: string) => file.includes(":") || path.basename(file).startsWith("_virtual_");
  // Read in parallel (hundreds of files), hash in a fixed order.
  const contents = await Promise.all(
    inputs.map(({ file }) =>
      isVirtual(file) ? null : readFile(path.resolve(root, file)).catch(() => undefined),
    ),
  );
  const hash = createHash("sha256");
  for (const [i, { name }] of inputs.entries()) {
    const content = contents[i];
    if (content === undefined) return undefined;
    if (content === null) hash.update(`${name}\0virtual\0`);
    else hash.update(`${name}\0${content.length}\0`).update(content);
  }
  return hash.digest("hex");
}

export async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
