/**
 * Headers every answer of the Worker carries unless a route set its own: no MIME sniffing, no
 * framing, no Referer, and no caching of /auth/v1 and /api/v1 answers (they carry sessions,
 * tokens and personal data). The Account pages set stricter ones themselves (account/security-headers.ts).
 */
import type { MiddlewareHandler } from "hono";

const ALWAYS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  // OAuth redirects carry codes and signed requests in their URLs: never hand those to the next site.
  "referrer-policy": "no-referrer",
};

export function securityHeaders(noStorePrefixes: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const wanted: Record<string, string> = { ...ALWAYS };
    if (noStorePrefixes.some((prefix) => c.req.path === prefix || c.req.path.startsWith(`${prefix}/`)))
      wanted["cache-control"] = "no-store";
    const missing = Object.entries(wanted).filter(([name]) => !c.res.headers.has(name));
    if (missing.length === 0) return;
    try {
      for (const [name, value] of missing) c.res.headers.set(name, value);
    } catch {
      // A response with immutable headers: copy it (Set-Cookie lines stay separate in a Headers copy).
      const res = new Response(c.res.body, c.res);
      for (const [name, value] of missing) res.headers.set(name, value);
      c.res = undefined;
      c.res = res;
    }
  };
}
