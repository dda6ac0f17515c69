/** The local bundle cache: a bundle is reused only while every file it was built from is byte-identical. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Scope, State, StateStore } from "alchemy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type BundleCache,
  bundleCache,
  recordBundle,
  reusableBundle,
  withoutWorkerScripts,
  workerSource,
} from "../../src/provision/bundle-cache.ts";

let root: string;
let cache: BundleCache;
const SCRIPT = "// authform build abc\nexport default { fetch() { return new Response('ok'); } };\n";

/** What Alchemy's esbuild leaves in the out dir: the bundle and a metafile naming its inputs. */
async function build(inputs: Record<string, string>, script = SCRIPT) {
  for (const [file, content] of Object.entries(inputs)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
  const virtual = "node_modules/alchemy/src/cloudflare/bundle/_virtual_unenv_global_polyfill-process";
  const metafile = { inputs: Object.fromEntries([...Object.keys(inputs), virtual].map((f) => [f, {}])) };
  await mkdir(cache.dir, { recursive: true });
  await writeFile(path.join(cache.dir, "metafile.json"), JSON.stringify(metafile));
  await writeFile(cache.file, script);
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "authform-bundle-cache-"));
  const entry = path.join(root, ".authform", "generated", "dev", "worker.ts");
  cache = bundleCache(entry, path.join(path.dirname(entry), "bundle"), "key-1", root);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("reusableBundle", () => {
  it("has nothing to reuse before a build was recorded", async () => {
    await build({ "worker/app.ts": "a" });
    expect(await reusableBundle(cache)).toBeUndefined();
  });

  it("reuses a recorded build while nothing changed", async () => {
    await build({ "worker/app.ts": "a", "node_modules/hono/index.js": "h" });
    await recordBundle(cache);
    expect(await reusableBundle(cache)).toBe(SCRIPT);
  });

  it("rebuilds when an input's bytes change, even outside worker/ (a generated module, a package)", async () => {
    for (const changed of [".authform/generated/dev/account-assets.ts", "node_modules/hono/index.js"]) {
      await build({ "worker/app.ts": "a", [changed]: "1" });
      await recordBundle(cache);
      await writeFile(path.join(root, changed), "2");
      expect(await reusableBundle(cache)).toBeUndefined();
    }
  });

  it("rebuilds when an input is gone", async () => {
    await build({ "worker/app.ts": "a", "worker/old.ts": "o" });
    await recordBundle(cache);
    await rm(path.join(root, "worker/old.ts"));
    expect(await reusableBundle(cache)).toBeUndefined();
  });

  it("rebuilds when the key changes (fingerprint, compatibility date or flags)", async () => {
    await build({ "worker/app.ts": "a" });
    await recordBundle(cache);
    expect(await reusableBundle({ ...cache, key: "key-2" })).toBeUndefined();
  });

  it("rebuilds when the bundle was rewritten since it was recorded (a hot reload)", async () => {
    await build({ "worker/app.ts": "a" });
    await recordBundle(cache);
    await writeFile(cache.file, `${SCRIPT}// rebuilt\n`);
    expect(await reusableBundle(cache)).toBeUndefined();
  });
});

describe("workerSource", () => {
  /** Every Worker bundle keeps zod's English messages only (src/provision/zod-english-only.ts). */
  const ZOD_ENGLISH_ONLY = expect.objectContaining({ name: "authform-zod-english-only" });
  const plan = { compatibilityDate: "2025-09-01", compatibilityFlags: ["nodejs_compat"] };

  it("deploys bundle with Alchemy: entrypoint, banner and minified, no cache", async () => {
    const source = await workerSource(
      { ...plan, mode: "deploy" },
      path.join(root, "gen", "worker.ts"),
      "f1",
      root,
    );
    expect(source.props).toEqual({
      entrypoint: "gen/worker.ts",
      bundle: { banner: { js: "// authform build f1" }, minify: true, plugins: [ZOD_ENGLISH_ONLY] },
    });
  });

  it("bundles a first local run into the stage's folder, then hands the same bundle back as the script", async () => {
    const entry = path.join(root, ".authform", "generated", "dev", "worker.ts");
    const first = await workerSource({ ...plan, mode: "local" }, entry, "f1", root);
    expect(first.props).toEqual({
      entrypoint: ".authform/generated/dev/worker.ts",
      bundle: {
        banner: { js: "// authform build f1" },
        minify: true,
        plugins: [ZOD_ENGLISH_ONLY],
        outdir: ".authform/generated/dev/bundle",
      },
    });
    cache = bundleCache(entry, path.join(path.dirname(entry), "bundle"), "unused", root);
    await build({ "worker/app.ts": "a" });
    await first.built();
    expect((await workerSource({ ...plan, mode: "local" }, entry, "f1", root)).props).toEqual({
      script: SCRIPT,
      // Ignored by Alchemy beside script; keeps the fingerprint in the props for --plan.
      bundle: {
        banner: { js: "// authform build f1" },
        minify: true,
        plugins: [ZOD_ENGLISH_ONLY],
        outdir: ".authform/generated/dev/bundle",
      },
    });
    // Another fingerprint or compatibility date: bundle again.
    expect((await workerSource({ ...plan, mode: "local" }, entry, "f2", root)).props).not.toHaveProperty(
      "script",
    );
    const later = { ...plan, compatibilityDate: "2026-01-01", mode: "local" as const };
    expect((await workerSource(later, entry, "f1", root)).props).not.toHaveProperty("script");
    expect(JSON.parse(await readFile(path.join(cache.dir, "authform-bundle.json"), "utf8")).key).toBe(
      "f1 minify zod-english-only 2025-09-01 nodejs_compat",
    );
  });
});

describe("withoutWorkerScripts", () => {
  const KIND = Symbol.for("test::kind");
  function storeSeeing(saved: State[]): StateStore {
    const unused = () => Promise.reject(new Error("not used"));
    return {
      list: unused,
      count: unused,
      get: unused,
      getBatch: unused,
      all: unused,
      delete: unused,
      set: async (_key, value) => {
        saved.push(value);
      },
    };
  }
  const state = (kind: string, script: string): State =>
    ({
      kind,
      id: "worker",
      status: "updated",
      props: { name: "w", script, bindings: { A: "1" } },
      output: { [KIND]: kind, name: "w", script, url: "http://localhost:1" },
    }) as unknown as State;

  it("leaves a Worker's megabyte script out of state, keeping its banner and everything else", async () => {
    const saved: State[] = [];
    const store = withoutWorkerScripts(() => storeSeeing(saved))({} as Scope);
    const big = `// authform build f1\n${"x".repeat(200_000)}`;
    const value = state("cloudflare::Worker", big);
    await store.set("worker", value);
    const [written] = saved as [State & { output: Record<string | symbol, unknown> }];
    for (const part of [written.props, written.output] as { script: string }[]) {
      expect(part.script.startsWith("// authform build f1\n")).toBe(true);
      expect(part.script.length).toBeLessThan(200);
    }
    expect(written.props).toMatchObject({ name: "w", bindings: { A: "1" } });
    expect(written.output).toMatchObject({ name: "w", url: "http://localhost:1" });
    expect(written.output[KIND]).toBe("cloudflare::Worker");
    // Alchemy's own objects are not touched: it keeps using the real script this run.
    expect((value.props as { script: string }).script).toBe(big);
  });

  it("stores short scripts and other resources as they are", async () => {
    const saved: State[] = [];
    const store = withoutWorkerScripts(() => storeSeeing(saved))({} as Scope);
    const small = state("cloudflare::Worker", "export default {}");
    const other = state("cloudflare::D1Database", "y".repeat(200_000));
    await store.set("worker", small);
    await store.set("database", other);
    expect(saved).toEqual([small, other]);
  });
});
