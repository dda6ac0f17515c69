/** Which store backs sessions and rate-limit counters on this Worker, for /api/v1/system/status. */
import type { WorkerEnv } from "../env.ts";
import type { RuntimeManifest } from "../spec.ts";
import { rateLimitOptions } from "./rate-limit.ts";

export type Store = "workers-kv" | "d1" | "memory";

export interface StorageStatus {
  /** Where get-session reads a session; with KV, D1 keeps a copy of every session too. */
  sessions: Store;
  rateLimit: Store;
  /** D1 reads run through D1's Sessions API (replicas with read-your-writes; worker/db/d1-session.ts). */
  d1Reads: "sessions-api";
}

export function storageStatus(env: WorkerEnv, manifest: RuntimeManifest): StorageStatus {
  const kv = env.AUTH_KV !== undefined;
  const { storage } = rateLimitOptions(env, manifest);
  return {
    sessions: kv ? "workers-kv" : "d1",
    rateLimit: storage === "secondary-storage" ? "workers-kv" : storage === "memory" ? "memory" : "d1",
    d1Reads: "sessions-api",
  };
}
