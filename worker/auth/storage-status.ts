/** Which store backs sessions and rate-limit counters on this Worker, for /api/v1/system/status. */
import type { RuntimeManifest } from "../../src/contract/manifest.ts";
import { STORAGE_BACKENDS, type Store } from "../../src/contract/storage.ts";
import type { WorkerEnv } from "../env.ts";
import { rateLimitOptions } from "./rate-limit.ts";
import { storageNamespace } from "./storage-binding.ts";

export type { Store };

export interface StorageStatus {
  /** Where get-session reads a session; with KV, D1 keeps a copy of every session too. */
  sessions: Store;
  rateLimit: Store;
  /** D1 reads run through D1's Sessions API (replicas with read-your-writes; worker/db/d1-session.ts). */
  d1Reads: "sessions-api";
}

export function storageStatus(env: WorkerEnv, manifest: RuntimeManifest): StorageStatus {
  // The backend counts only when its binding is there (storage-binding.ts); else D1 holds everything.
  const backend =
    manifest.storage && storageNamespace(env, manifest) ? STORAGE_BACKENDS[manifest.storage] : undefined;
  const { storage } = rateLimitOptions(env, manifest);
  return {
    sessions: backend?.holdsSessions ? backend.store : "d1",
    rateLimit:
      storage === "secondary-storage" && backend?.holdsRateLimits
        ? backend.store
        : storage === "memory"
          ? "memory"
          : "d1",
    d1Reads: "sessions-api",
  };
}
