/** Which store backs sessions and rate-limit counters on this Worker, for /api/v1/system/status. */
import type { RuntimeManifest } from "../../src/contract/manifest.ts";
import type { WorkerEnv } from "../env.ts";
import { rateLimitOptions } from "./rate-limit.ts";
import { storageNamespace } from "./storage-binding.ts";

export type Store = "workers-kv" | "d1" | "memory";

export interface StorageStatus {
  /** Where get-session reads a session; with KV, D1 keeps a copy of every session too. */
  sessions: Store;
  rateLimit: Store;
  /** D1 reads run through D1's Sessions API (replicas with read-your-writes; worker/db/d1-session.ts). */
  d1Reads: "sessions-api";
}

export function storageStatus(env: WorkerEnv, manifest: RuntimeManifest): StorageStatus {
  const kv = storageNamespace(env, manifest) !== undefined;
  const { storage } = rateLimitOptions(env, manifest);
  return {
    sessions: kv ? "workers-kv" : "d1",
    rateLimit: storage === "secondary-storage" ? "workers-kv" : storage === "memory" ? "memory" : "d1",
    d1Reads: "sessions-api",
  };
}
