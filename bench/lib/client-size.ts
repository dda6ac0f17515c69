/**
 * `authform/client` as an app bundles it (issue 25): esbuild, browser platform, minified, with the
 * full bench config, raw and gzip. The client imports every catalogue plugin's client statically (it
 * reads the config at run time), so the size does not shrink with the config yet.
 */
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { ROOT } from "./programs.ts";

export interface ClientSize {
  rawBytes: number;
  gzipBytes: number;
}

export async function measureClientSize(config: string): Promise<ClientSize> {
  const entry = `
    import { createAuthformClient } from ${JSON.stringify(path.join(ROOT, "src", "client", "index.ts"))};
    import config from ${JSON.stringify(path.join(ROOT, config))};
    export const auth = createAuthformClient({ baseURL: "https://api.example.com", config });
  `;
  const out = await build({
    stdin: { contents: entry, resolveDir: ROOT, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  const bytes = out.outputFiles[0]?.contents ?? new Uint8Array();
  return { rawBytes: bytes.length, gzipBytes: gzipSync(bytes).length };
}
