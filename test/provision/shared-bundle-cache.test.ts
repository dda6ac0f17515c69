/** The bundle cache shared by stages: a new stage reuses another's bundle only while every input is byte-identical. */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as esbuild from "esbuild";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bundleCache, workerSource } from "../../src/provision/bundle-cache.ts";
import {
  MAX_SHARED_BUNDLES,
  publishBundle,
  type StageBundle,
  sharedBundle,
  sharedBundleDir,
} from "../../src/provision/shared-bundle-cache.ts";

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "authform-shared-bundle-"));
  await write("worker/app.ts", `export const greeting = "hello";\n`);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function write(file: string, content: string) {
  await mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await writeFile(path.join(root, file), content);
}

/** A stage's generated entry (importing worker/ and its own generated module), as main.ts writes them. */
async function generate(stage: string, account = "account-v1") {
  await write(
    `.authform/generated/${stage}/worker.ts`,
    `import { greeting } from "../../../worker/app.ts";\nimport { accountAssets } from "./account/assets.ts";\n` +
      'export default { fetch: () => new Response(greeting + " " + accountAssets) };\n',
  );
  await write(
    `.authform/generated/${stage}/account/assets.ts`,
    `export const accountAssets = "${account}";\n`,
  );
}

function stageBundle(stage: string, key = "key-1"): StageBundle {
  const entry = path.join(root, ".authform", "generated", stage, "worker.ts");
  return bundleCache(entry, path.join(path.dirname(entry), "bundle"), key, root);
}

/** What Alchemy's esbuild pass does for a local Worker: bundle into the stage's folder, metafile beside it. */
async function build(stage: StageBundle): Promise<string> {
  const entry = path.relative(root, path.join(path.dirname(stage.dir), "worker.ts"));
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    outdir: path.relative(root, stage.dir),
    bundle: true,
    // As authform's local builds: minified, so no comment names the stage's folder.
    minify: true,
    format: "esm",
    metafile: true,
    write: true,
    logLevel: "silent",
  });
  await writeFile(path.join(stage.dir, "metafile.json"), JSON.stringify(result.metafile));
  return readFile(stage.file, "utf8");
}

describe("sharedBundle", () => {
  it("gives a new stage the bundle another stage built from the same bytes, without building", async () => {
    await generate("a");
    await generate("b");
    const a = stageBundle("a");
    expect(await sharedBundle(a)).toBeUndefined();
    const built = await build(a);
    await publishBundle(a);
    expect(await sharedBundle(stageBundle("b"))).toBe(built);
    expect(built).toContain("hello");
  });

  it("builds again after a source file changed, and shares the new bundle", async () => {
    await generate("a");
    await generate("b");
    await generate("c");
    const a = stageBundle("a");
    await build(a);
    await publishBundle(a);
    await write("worker/app.ts", `export const greeting = "changed";\n`);
    const b = stageBundle("b");
    expect(await sharedBundle(b)).toBeUndefined();
    const rebuilt = await build(b);
    expect(rebuilt).toContain("changed");
    await publishBundle(b);
    expect(await sharedBundle(stageBundle("c"))).toBe(rebuilt);
  });

  it("builds again when the stage's own generated module differs, or a file is gone", async () => {
    await generate("a");
    await generate("b", "account-v2");
    const a = stageBundle("a");
    await build(a);
    await publishBundle(a);
    expect(await sharedBundle(stageBundle("b"))).toBeUndefined();
    await generate("c");
    await rm(path.join(root, ".authform/generated/c/account/assets.ts"));
    expect(await sharedBundle(stageBundle("c"))).toBeUndefined();
  });

  it("builds again for another key (fingerprint, compatibility date or flags)", async () => {
    await generate("a");
    await generate("b");
    const a = stageBundle("a");
    await build(a);
    await publishBundle(a);
    expect(await sharedBundle(stageBundle("b", "key-2"))).toBeUndefined();
  });

  it("never hands out a wrong bundle while stages publish and read at once", async () => {
    // Same key, different generated modules: each stage's bundle is right only for that stage.
    const stages = ["a", "b", "c", "d"];
    const expected = new Map<string, string>();
    for (const [i, name] of stages.entries()) {
      await generate(name, `account-${i % 2}`);
      expected.set(name, await build(stageBundle(name)));
    }
    const seen = await Promise.all(
      Array.from({ length: 12 }, async (_, round) => {
        const name = stages[round % stages.length] as string;
        await publishBundle(stageBundle(name));
        return { name, got: await sharedBundle(stageBundle(name)) };
      }),
    );
    for (const { name, got } of seen) {
      if (got !== undefined) expect(got).toBe(expected.get(name));
    }
    // The one entry for the key is whole: its bundle is one of the two, and a later reader gets its own.
    const entries = (await readdir(sharedBundleDir(root))).filter((n) => !n.startsWith("."));
    expect(entries).toHaveLength(1);
    await publishBundle(stageBundle("a"));
    expect(await sharedBundle(stageBundle("c"))).toBe(expected.get("c"));
    expect(await readdir(sharedBundleDir(root))).toHaveLength(1); // no temp folders left
  });

  it(`keeps at most ${MAX_SHARED_BUNDLES} bundles, the most recently used`, async () => {
    await generate("a");
    const first = stageBundle("a", "key-0");
    await build(first);
    await publishBundle(first);
    for (let i = 1; i <= MAX_SHARED_BUNDLES + 1; i++) {
      // The first stays in use (a reuse marks it), so the others are evicted before it.
      await new Promise((resolve) => setTimeout(resolve, 15));
      expect(await sharedBundle(first)).toBeDefined();
      await publishBundle(stageBundle("a", `key-${i}`));
    }
    expect(await readdir(sharedBundleDir(root))).toHaveLength(MAX_SHARED_BUNDLES);
    expect(await sharedBundle(first)).toBeDefined();
    expect(await sharedBundle(stageBundle("a", "key-1"))).toBeUndefined();
  });
});

describe("workerSource on a new stage", () => {
  const plan = {
    mode: "local" as const,
    compatibilityDate: "2025-09-01",
    compatibilityFlags: ["nodejs_compat"],
  };

  it("hands Alchemy the bundle another stage built as the script, so nothing is bundled", async () => {
    await generate("a");
    await generate("b");
    const entryA = path.join(root, ".authform/generated/a/worker.ts");
    const first = await workerSource(plan, entryA, "f1", root);
    expect(first.props).toHaveProperty("entrypoint");
    const built = await build(stageBundle("a"));
    await first.built();
    const second = await workerSource(plan, path.join(root, ".authform/generated/b/worker.ts"), "f1", root);
    expect(second.props).toMatchObject({ script: built });
  });
});
