/**
 * The storage backends for Better Auth's secondary storage (defineStorage), as plain data: the
 * binding the Worker reads, the resource the plan names, and what the backend holds. Read by the
 * plan (names, bindings, `--plan`), the provisioner and the Worker (the binding, /system/status).
 * Without a backend D1 holds everything.
 */
import type { StorageBackend } from "./manifest.ts";

/** Where a kind of data is read from, as /api/v1/system/status reports it. */
export type Store = "workers-kv" | "d1" | "memory";

export interface StorageInfo {
  /** The Worker binding it is reached through, and its kind in the plan. */
  binding: { name: string; kind: "kv" };
  /** The store /system/status names for what it holds. */
  store: Store;
  /** Whether Better Auth reads sessions from it (D1 keeps a copy of each session either way). */
  holdsSessions: boolean;
  /** Whether it counts rate limits: never for KV, which cannot count atomically (worker/auth/rate-limit.ts). */
  holdsRateLimits: boolean;
}

/** What only the plan and `--plan` read: apart from STORAGE_BACKENDS, so the Worker bundles none of it. */
export interface StorageResource {
  /** The cloud resource: what `--plan` calls it, and the suffix of its per-stage name (`<app>-<stage><suffix>`). */
  resource: { label: string; nameSuffix: string };
  /** What it holds, for `--plan`. */
  holds: readonly string[];
  /**
   * Whether choosing it is choosing scale-out, which in deploy mode also turns on D1 read replicas
   * (reads stay read-your-writes through the Sessions API's bookmarks, worker/db/d1-session.ts).
   */
  replicatesD1: boolean;
}

/** Workers KV: session reads and copies of verification values; D1 keeps every row too. */
export const STORAGE_BACKENDS = {
  "cloudflare-kv": {
    binding: { name: "AUTH_KV", kind: "kv" },
    store: "workers-kv",
    holdsSessions: true,
    holdsRateLimits: false,
  },
} as const satisfies Record<StorageBackend, StorageInfo>;

export const STORAGE_RESOURCES = {
  "cloudflare-kv": {
    resource: { label: "KV namespace", nameSuffix: "-kv" },
    holds: ["sessions", "copies of verification values"],
    replicatesD1: true,
  },
} as const satisfies Record<StorageBackend, StorageResource>;
