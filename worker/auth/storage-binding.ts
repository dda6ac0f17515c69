/** The KV namespace behind Better Auth's secondary storage, when the plan chose one (manifest.storage). */
import type { RuntimeManifest } from "../../src/contract/manifest.ts";
import type { WorkerEnv } from "../env.ts";

/**
 * The manifest says whether the stack has KV storage; the binding carries it out. A manifest with
 * storage but no binding (a hand-edited deploy) falls back to D1, which holds every session too.
 */
export function storageNamespace(env: WorkerEnv, manifest: RuntimeManifest): KVNamespace | undefined {
  return manifest.storage === "cloudflare-kv" ? env.AUTH_KV : undefined;
}
