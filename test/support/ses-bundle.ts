/**
 * Bundles a Worker entry the way Alchemy's Worker resource does (its own esbuild, its conditions), in
 * memory, with the plugins authform gives it (src/provision/bundle-cache.ts).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type * as esbuild from "esbuild";
import { zodEnglishOnly } from "../../src/provision/zod-english-only.ts";
import { ROOT } from "./stack.ts";

// Alchemy bundles Workers with its own esbuild dependency (not the project's top-level one): use that.
const { build } = createRequire(path.join(ROOT, "node_modules", "alchemy", "package.json"))(
  "esbuild",
) as typeof esbuild;

export interface WorkerBundle {
  text: string;
  bytes: number;
  /** Every source file in the bundle, relative to the project. */
  inputs: string[];
}

/** A Worker whose fetch sends one email through the SES sender with the Worker's env, answering what happened. */
export const SES_SENDER_WORKER = `
import { createSesSender } from ${JSON.stringify(path.join(ROOT, "worker", "email", "ses", "sender.ts"))};
export default {
  async fetch(request, env) {
    try {
      await createSesSender(env).send({ kind: "otp", to: "ada@example.com", subject: "Your code", text: "Code 123456", html: "<b>123456</b>" });
      return new Response("sent");
    } catch (err) {
      return new Response(err.name + ": " + err.message, { status: 502 });
    }
  },
};
`;

/** `entry` is the source, or makes it from the folder the entry is written to (for relative imports). */
export async function bundleWorker(
  entry: string | ((dir: string) => string),
  { minify = false } = {},
): Promise<WorkerBundle> {
  // Inside the project, so the entry resolves packages from its node_modules.
  await mkdir(path.join(ROOT, ".authform"), { recursive: true });
  const dir = await mkdtemp(path.join(ROOT, ".authform", "ses-bundle-"));
  try {
    const file = path.join(dir, "entry.ts");
    await writeFile(file, typeof entry === "string" ? entry : entry(dir));
    const result = await build({
      entryPoints: [file],
      absWorkingDir: ROOT,
      bundle: true,
      write: false,
      metafile: true,
      minify,
      format: "esm",
      target: "es2022",
      conditions: ["workerd", "worker", "browser"],
      external: ["node:*", "cloudflare:*"],
      plugins: [zodEnglishOnly()],
      logLevel: "silent",
    });
    const [output] = result.outputFiles;
    return {
      text: output?.text ?? "",
      bytes: output?.contents.byteLength ?? 0,
      inputs: Object.keys(result.metafile.inputs).map((i) => path.relative(ROOT, path.resolve(ROOT, i))),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
