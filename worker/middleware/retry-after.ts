/** Every 429 under /auth/v1 carries the standard `Retry-After`; Better Auth's IP limiter also gets authform's JSON error. */
import type { MiddlewareHandler } from "hono";

export const retryAfter: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.res.status !== 429 || c.res.headers.has("retry-after")) return;
  // Better Auth's IP rate limiter is the one that answers with X-Retry-After (and a bare `{ message }`).
  const limiterSeconds = Number(c.res.headers.get("x-retry-after"));
  if (Number.isFinite(limiterSeconds) && limiterSeconds > 0) {
    const wait = Math.ceil(limiterSeconds);
    const headers = new Headers(c.res.headers);
    headers.set("retry-after", String(wait));
    headers.set("content-type", "application/json");
    headers.delete("content-length");
    // `code` is Better Auth's style, `error` authform's: clients of either read it the same way.
    const body = {
      error: "rate_limited",
      code: "TOO_MANY_REQUESTS",
      message: `Too many requests. Try again in ${wait} s.`,
      retryAfter: wait,
    };
    // Cleared first: Hono's setter would copy the old response's headers (length included) onto the new one.
    c.res = undefined;
    c.res = new Response(JSON.stringify(body), { status: 429, headers });
    return;
  }
  // A plugin's own 429 (an API key over its limit: `details.tryAgainIn`, ms) keeps its body.
  const details = (
    (await c.res
      .clone()
      .json()
      .catch(() => null)) as { details?: { tryAgainIn?: unknown } } | null
  )?.details;
  const ms = typeof details?.tryAgainIn === "number" ? details.tryAgainIn : Number.NaN;
  if (!Number.isFinite(ms)) return;
  const res = c.res;
  const headers = new Headers(res.headers);
  headers.set("retry-after", String(Math.max(1, Math.ceil(ms / 1000))));
  c.res = undefined;
  c.res = new Response(res.body, { status: 429, headers });
};
