/** Better Auth's secondaryStorage over a Workers KV binding: sessions, rate-limit counters, verification values. */
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
 * A TTL under 60 s (Better Auth's 10 s rate-limit windows) is kept in the entry's metadata and
 * checked on read, while KV holds the entry for its 60 s minimum: the window is exact, not
 * stretched to a minute.
 *
 * KV has no atomic read-modify-write, so `increment` and `getAndDelete` are a read then a write.
 * authform therefore keeps single-use verification values consumed in D1
 * (`verification.storeInDatabase`, worker/auth/create-auth.ts), and rate-limit counts are
 * approximate under concurrent requests, as counters on KV are.
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
    increment: async (key, ttl) => {
      const { value, metadata } = await kv.getWithMetadata<EntryMetadata>(key);
      const live = value !== null && !isExpired(metadata);
      const count = live ? (Number.parseInt(value, 10) || 0) + 1 : 1;
      // The TTL counts from the first increment: later ones keep the window's end.
      const expiresAt = live && metadata?.expiresAt ? metadata.expiresAt : Date.now() + ttl * 1000;
      try {
        await kv.put(key, String(count), expiringAt(expiresAt));
      } catch (err) {
        // KV takes about one write per second per key: a key written faster than that is a flood
        // on one IP + path. Count it as over the limit rather than letting it through uncounted.
        console.warn(`authform: rate-limit counter write failed (${String(err)}); refusing the request`);
        return Number.MAX_SAFE_INTEGER;
      }
      return count;
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
