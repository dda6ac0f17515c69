/** A browser against a Worker run on Miniflare (run-planned-worker.ts): a cookie jar per browser and the page's Origin. */
import type { CookieJar } from "./cookie-jar.ts";
import type { PlannedWorker } from "./run-planned-worker.ts";

export type BrowserFetch = (
  jar: CookieJar,
  url: string,
  origin?: string,
  init?: RequestInit,
) => Promise<Response>;

/**
 * A browser's request: its jar's cookies for the URL, and the page's Origin (none for a
 * navigation). `worker` is read per request, so a file can build this before its beforeAll runs.
 */
export function browserFetcher(worker: () => PlannedWorker): BrowserFetch {
  return async (jar, url, origin, init = {}) => {
    const headers = new Headers(init.headers);
    if (origin) headers.set("origin", origin);
    const cookie = jar.headerFor(url);
    if (cookie) headers.set("cookie", cookie);
    const res = await worker().fetch(url, { ...init, headers });
    jar.store(url, res);
    return res;
  };
}

/** A JSON POST's init. */
export const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
