/** Reads the bundle a Worker runs (the folder Alchemy's esbuild wrote): size, what is in it, which scrypt. */
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { transform } from "esbuild";

export interface BundleInfo {
  /** The copy the benchmark keeps (the stage's own folder goes away on destroy). */
  dir: string;
  /** The modules Miniflare loads (js/mjs/wasm; source maps and the metafile excluded). */
  files: string[];
  entry: string;
  rawBytes: number;
  gzipBytes: number;
  /** The same modules minified (what `bundle: { minify: true }` on the Worker would upload), and where. */
  minifiedDir: string;
  minifiedBytes: number;
  minifiedGzipBytes: number;
  /** Bytes in the output per package (node_modules name, or the first folder for own code). */
  byPackage: { name: string; bytes: number }[];
  /** Which @better-auth/utils password module esbuild picked: node:crypto scrypt, or the pure-JS one. */
  scrypt: "native node:crypto" | "pure-JS @noble/hashes" | "both" | "none";
}

interface Metafile {
  inputs: Record<string, unknown>;
  outputs: Record<string, { entryPoint?: string; inputs: Record<string, { bytesInOutput: number }> }>;
}

/** Copies the Worker's bundle (the folder its esbuild pass wrote) aside and measures it. */
export async function captureBundle(source: string, into: string): Promise<BundleInfo> {
  await mkdir(into, { recursive: true });
  await cp(source, into, { recursive: true });
  const files = (await readdir(into, { recursive: true })).filter((f) => /\.(m?js|wasm)$/.test(f)).sort();
  const metafile = JSON.parse(await readFile(path.join(into, "metafile.json"), "utf8")) as Metafile;
  const entryOutput = Object.entries(metafile.outputs).find(([, o]) => o.entryPoint);
  const entry = entryOutput ? path.basename(entryOutput[0]) : (files[0] as string);

  let rawBytes = 0;
  let gzipBytes = 0;
  let minifiedBytes = 0;
  let minifiedGzipBytes = 0;
  const minifiedDir = `${into}-minified`;
  await mkdir(minifiedDir, { recursive: true });
  for (const f of files) {
    const bytes = await readFile(path.join(into, f));
    rawBytes += bytes.length;
    gzipBytes += gzipSync(bytes).length;
    const min = f.endsWith(".wasm")
      ? bytes
      : Buffer.from(
          (await transform(bytes.toString("utf8"), { minify: true, format: "esm", target: "es2022" })).code,
        );
    await mkdir(path.dirname(path.join(minifiedDir, f)), { recursive: true });
    await writeFile(path.join(minifiedDir, f), min);
    minifiedBytes += min.length;
    minifiedGzipBytes += gzipSync(min).length;
  }

  const perPackage = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      perPackage.set(name, (perPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  const byPackage = [...perPackage]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes);

  const inputs = Object.keys(metafile.inputs);
  // authform hashes with node:crypto scrypt itself (worker/auth/password-hashing.ts).
  const own = inputs.some((i) => i.endsWith("worker/auth/password-hashing.ts"));
  const native = inputs.some((i) => /@better-auth\/utils\/dist\/password\.node\.mjs$/.test(i));
  const pureJs = inputs.some((i) => /@better-auth\/utils\/dist\/password\.mjs$/.test(i));
  const scrypt = own
    ? "native node:crypto"
    : native && pureJs
      ? "both"
      : native
        ? "native node:crypto"
        : pureJs
          ? "pure-JS @noble/hashes"
          : "none";
  return {
    dir: into,
    files,
    entry,
    rawBytes,
    gzipBytes,
    minifiedDir,
    minifiedBytes,
    minifiedGzipBytes,
    byPackage,
    scrypt,
  };
}

function packageOf(input: string): string {
  const parts = input.split("/");
  const at = parts.lastIndexOf("node_modules");
  if (at === -1) {
    const own = input.startsWith("..") ? input.replace(/^(\.\.\/)+/, "") : input;
    return `(own) ${own.split("/")[0]}`;
  }
  const first = parts[at + 1] as string;
  return first.startsWith("@") ? `${first}/${parts[at + 2]}` : first;
}
