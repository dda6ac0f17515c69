/**
 * Times one password hash inside workerd: Better Auth's scrypt both ways a bundle can run it
 * (node:crypto, which the `workerd` export condition selects, and the pure-JS @noble/hashes fallback),
 * plus cheaper candidate profiles for the free plan's 10 ms CPU limit. Timed from outside (workerd
 * freezes its clock during CPU work) as round trip minus an empty round trip.
 */
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS } from "./cold-start.ts";
import { ROOT } from "./programs.ts";
import { summarize } from "./stats.ts";

export interface HashProfile {
  path: string;
  name: string;
  /** Memory the hash needs (scrypt: 128·N·r bytes), in MiB; undefined for PBKDF2. */
  memoryMiB?: number;
}

export const PROFILES: HashProfile[] = [
  {
    path: "/native",
    name: 'scrypt N=16384 r=16 p=1, node:crypto (Better Auth\'s default; authform "standard")',
    memoryMiB: 32,
  },
  { path: "/js", name: "scrypt N=16384 r=16 p=1, pure-JS @noble/hashes (the fallback)", memoryMiB: 32 },
  { path: "/n8192r8", name: "scrypt N=8192 r=8 p=1, node:crypto", memoryMiB: 8 },
  { path: "/n4096r8", name: 'scrypt N=4096 r=8 p=1, node:crypto (authform "workers-free")', memoryMiB: 4 },
  { path: "/pbkdf2", name: "PBKDF2-SHA256 100k iterations, Web Crypto (Workers' maximum)" },
];

const PROBE = `
import { scrypt } from "node:crypto";
import { scryptAsync } from "@noble/hashes/scrypt.js";
const native = (N, r) => new Promise((resolve, reject) =>
  scrypt("correct horse battery", "0123456789abcdef", 64, { N, r, p: 1, maxmem: 128 * N * r * 2 },
    (e, k) => (e ? reject(e) : resolve(k))));
async function pbkdf2() {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("correct horse battery"), "PBKDF2", false, ["deriveBits"]);
  return crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: new TextEncoder().encode("0123456789abcdef"), iterations: 100000 }, key, 256);
}
export default {
  async fetch(request) {
    switch (new URL(request.url).pathname) {
      case "/native": await native(16384, 16); break;
      case "/js": await scryptAsync("correct horse battery", "0123456789abcdef", { N: 16384, r: 16, p: 1, dkLen: 64, maxmem: 128 * 16384 * 16 * 2 }); break;
      case "/n8192r8": await native(8192, 8); break;
      case "/n4096r8": await native(4096, 8); break;
      case "/pbkdf2": await pbkdf2(); break;
    }
    return new Response("ok");
  },
};`;

/** Median ms per profile path (round trip minus the empty round trip). */
export type HashTimes = Record<string, number>;

export async function probeHashing(samples = 5): Promise<HashTimes> {
  const bundled = await build({
    stdin: { contents: PROBE, resolveDir: ROOT, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["browser"],
    external: ["node:*"],
    write: false,
  });
  const mf = new Miniflare({
    modules: true,
    script: bundled.outputFiles[0]?.text as string,
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: COMPATIBILITY_FLAGS,
  });
  try {
    const time = async (path: string) => {
      const t = performance.now();
      const res = await mf.dispatchFetch(`http://localhost${path}`);
      await res.text();
      if (res.status !== 200) throw new Error(`hash probe ${path}: ${res.status}`);
      return performance.now() - t;
    };
    const paths = ["/noop", ...PROFILES.map((p) => p.path)];
    for (const p of paths) await time(p); // warm each path once
    const runs = new Map<string, number[]>(paths.map((p) => [p, []]));
    for (let i = 0; i < samples; i++) for (const p of paths) runs.get(p)?.push(await time(p));
    const noop = summarize(runs.get("/noop") as number[]).median;
    return Object.fromEntries(
      PROFILES.map((p) => [p.path, summarize(runs.get(p.path) as number[]).median - noop]),
    );
  } finally {
    await mf.dispose();
  }
}
