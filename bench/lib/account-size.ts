/** The Account SPA as a browser downloads it: each file the Worker serves, raw and gzip (issue 22). */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { buildAccountAssets } from "../../src/generate/account-assets.ts";

export interface AccountSize {
  files: { path: string; rawBytes: number; gzipBytes: number }[];
}

export async function measureAccountSize(): Promise<AccountSize> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "authform-bench-account-"));
  try {
    const build = await buildAccountAssets(dir);
    const { accountAssets } = (await import(build.module)) as {
      accountAssets: { html: string; files: Record<string, { body: string }> };
    };
    const entries: [string, string][] = [
      ["/account (HTML shell)", accountAssets.html],
      ...Object.entries(accountAssets.files).map(([p, f]) => [p, f.body] as [string, string]),
    ];
    return {
      files: entries.map(([p, body]) => ({
        path: p,
        rawBytes: Buffer.byteLength(body),
        gzipBytes: gzipSync(body).length,
      })),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
