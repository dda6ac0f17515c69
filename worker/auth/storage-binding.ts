/** The namespace behind Better Auth's secondary storage, when the plan chose one (manifest.storage). */
import type { RuntimeManifest } from "../../src/contract/manifest.ts";
import { STORAGE_BACKENDS } from "../../src/contract/storage.ts";
import type { WorkerEnv } from "../env.ts";

/**
 * The manifest says which backend the stack has; its catalogue entry names the binding that
 * carries it out. A manifest with storage but no binding (a hand-edited deploy) falls back to D1,
 * which holds every session too.
 */
export function storageNamespace(env: WorkerEnv, manifest: RuntimeManifest): KVNamespace | undefined {
  return manifest.storage ? env[STORAGE_BACKENDS[manifest.storage].binding.name] : undefined;
}
