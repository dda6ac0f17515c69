/**
 * Headers every answer of the Worker carries unless a route set its own: no MIME sniffing, no
 * framing, no Referer, and no caching of /auth/v1 and /api/v1 answers (they carry sessions,
 * tokens and personal data). The Account pages set stricter ones themselves (account/security-headers.ts).
 */
import type { MiddlewareHandler } from "hono";

const ALWAYS: readonly (readonly [string, string])[] = [
  ["x-content-type-options", "nosniff"],
  ["x-frame-options", "DENY"],
  // OAuth redirects carry codes and signed requests in their URLs: never hand those to the next site.
  ["referrer-policy", "no-referrer"],
];
const NO_STORE = ["cache-control", "no-store"] as const;

export function securityHeaders(noStorePrefixes: readonly string[]): MiddlewareHandler {
  // Built once: every request checks its path against them.
  const underPrefixes = noStorePrefixes.map((prefix) => `${prefix}/`);
  const noStore = (path: string) =>
    noStorePrefixes.includes(path) || underPrefixes.some((under) => path.startsWith(under));
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    const missing = ALWAYS.filter(([name]) => !headers.has(name));
    if (noStore(c.req.path) && !headers.has(NO_STORE[0])) missing.push(NO_STORE);
    if (missing.length === 0) return;
    try {
      for (const [name, value] of missing) headers.set(name, value);
    } catch {
      // A response with immutable headers: copy it (Set-Cookie lines stay separate in a Headers copy).
      const res = new Response(c.res.body, c.res);
      for (const [name, value] of missing) res.headers.set(name, value);
      c.res = undefined;
      c.res = res;
    }
  };
}
