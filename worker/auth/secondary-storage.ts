/** Better Auth's secondaryStorage over a Workers KV binding: sessions (rate-limit counters and verification values stay in D1). */
import type { SecondaryStorage } from "@better-auth/core/db";
import type { SessionIndex } from "./session-index.ts";

/** Workers KV refuses an expiration less than 60 s away. */
export const KV_MIN_TTL_SECONDS = 60;

/** Better Auth's key for a user's list of session tokens. */
const ACTIVE_SESSIONS = "active-sessions-";

export interface KvStorageOptions {
  /**
   * Reads a user's live sessions from D1 (session-index.ts). With it, Better Auth's per-user
   * session list comes from D1 and is never written to KV, and a listed session that KV lacks
   * (created before KV was turned on) is still listed and revocable.
   */
  sessionIndex?: SessionIndex;
  /** The request's memo (worker/db/d1-session.ts): the listed sessions' entries, for the rest of the request. */
  memo?: () => Map<string, string> | undefined;
}

/** Stored beside each value: when it really expires (ms), for TTLs shorter than KV's minimum. */
interface EntryMetadata {
  expiresAt?: number;
}

/**
 * Builds Better Auth's secondary storage on a KV namespace.
 *
 * A TTL under 60 s is kept in the entry's metadata and checked on read, while KV holds the entry
 * for its 60 s minimum: the entry expires when asked, not a minute later.
 *
 * KV has no atomic read-modify-write (no compare-and-set, about one write per key per second), so
 * nothing that must count or be used once lives here: single-use verification values are consumed
 * in D1 (`verification.storeInDatabase`, worker/auth/create-auth.ts), rate-limit counters are D1
 * rows (worker/auth/rate-limit.ts), and `increment` refuses. `getAndDelete` is a read then a delete.
 *
 * @example
 * // Better Auth options, when the AUTH_KV binding exists
 * betterAuth({ secondaryStorage: kvSecondaryStorage(env.AUTH_KV), ... });
 */
export function kvSecondaryStorage(kv: KVNamespace, options: KvStorageOptions = {}): SecondaryStorage {
  const { sessionIndex, memo } = options;
  const isList = (key: string) => sessionIndex !== undefined && key.startsWith(ACTIVE_SESSIONS);
  const listFromD1 = async (key: string): Promise<string | null> => {
    const live = await (sessionIndex as SessionIndex)(key.slice(ACTIVE_SESSIONS.length));
    const requestMemo = memo?.();
    for (const s of live) requestMemo?.set(s.token, s.entry);
    return live.length > 0
      ? JSON.stringify(live.map(({ token, expiresAt }) => ({ token, expiresAt })))
      : null;
  };
  const read = async (key: string): Promise<string | null> => {
    const { value, metadata } = await kv.getWithMetadata<EntryMetadata>(key);
    if (value === null) return null;
    return isExpired(metadata) ? null : value;
  };
  const write = (key: string, value: string, ttl?: number) => kv.put(key, value, putOptions(ttl));

  return {
    get: async (key) => {
      if (isList(key)) return listFromD1(key);
      return (await read(key)) ?? memo?.()?.get(key) ?? null;
    },
    set: async (key, value, ttl) => {
      if (isList(key)) return;
      await write(key, value, ttl);
    },
    delete: async (key) => {
      if (isList(key)) return;
      memo?.()?.delete(key);
      await kv.delete(key);
    },
    getAndDelete: async (key) => {
      const value = await read(key);
      if (value !== null) await kv.delete(key);
      return value;
    },
    // Required by the interface, used by nothing authform runs: rate limits count in D1
    // (rate-limit.ts) and DPoP replay markers go to D1 with verification.storeInDatabase. A
    // read-then-write counter would let racing requests past a limit, so it refuses instead.
    increment: async () => {
      throw new Error(
        "authform: Workers KV cannot count atomically; count in D1 (docs/RELIABILITY.md, Concurrency guarantees)",
      );
    },
  };
}

function isExpired(metadata: EntryMetadata | null): boolean {
  return metadata?.expiresAt !== undefined && metadata.expiresAt <= Date.now();
}

function putOptions(ttl: number | undefined): KVNamespacePutOptions {
  if (ttl === undefined || ttl <= 0) return {};
  return expiringAt(Date.now() + ttl * 1000);
}

/** KV options for an entry that must read as gone at `expiresAt` (epoch ms). */
function expiringAt(expiresAt: number): KVNamespacePutOptions {
  const seconds = Math.ceil((expiresAt - Date.now()) / 1000);
  if (seconds >= KV_MIN_TTL_SECONDS) return { expirationTtl: seconds };
  return { expirationTtl: KV_MIN_TTL_SECONDS, metadata: { expiresAt } satisfies EntryMetadata };
}
