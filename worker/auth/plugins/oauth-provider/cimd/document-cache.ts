/**
 * When a client's metadata document is next fetched. The document itself lives in the oauthClient
 * row (Better Auth's registration); this per-isolate map only says until when that row is fresh,
 * from the response's Cache-Control, bounded so a client can neither pin its document forever nor
 * make every request refetch it. Capped in entries: the oldest are dropped first.
 */

export const CACHE_BOUNDS = {
  minSeconds: 60,
  maxSeconds: 24 * 60 * 60,
  /** No usable max-age. */
  defaultSeconds: 5 * 60,
  maxEntries: 1_000,
};

/** Seconds to keep a document, from its Cache-Control, within the bounds. */
export function freshSeconds(cacheControl: string | null, bounds = CACHE_BOUNDS): number {
  const directives = (cacheControl ?? "").toLowerCase();
  const maxAge = /(?:^|[,\s])max-age\s*=\s*"?(\d+)/.exec(directives)?.[1];
  const wanted = /\bno-store\b|\bno-cache\b/.test(directives)
    ? 0
    : maxAge !== undefined
      ? Number(maxAge)
      : bounds.defaultSeconds;
  return Math.min(bounds.maxSeconds, Math.max(bounds.minSeconds, wanted));
}

export class DocumentCache {
  private readonly until = new Map<string, number>();
  constructor(private readonly bounds = CACHE_BOUNDS) {}

  isFresh(url: string, now = Date.now()): boolean {
    const until = this.until.get(url);
    if (until === undefined) return false;
    if (until > now) return true;
    this.until.delete(url);
    return false;
  }

  remember(url: string, cacheControl: string | null, now = Date.now()): void {
    this.until.delete(url);
    this.until.set(url, now + freshSeconds(cacheControl, this.bounds) * 1000);
    // Map keeps insertion order, so the first keys are the oldest.
    for (const oldest of this.until.keys()) {
      if (this.until.size <= this.bounds.maxEntries) break;
      this.until.delete(oldest);
    }
  }

  forget(url: string): void {
    this.until.delete(url);
  }

  get size(): number {
    return this.until.size;
  }
}
