/** Local mode: reads to the end whatever request body the app left unread, so the client's connection stays reusable. */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../spec.ts";

/**
 * Cloudflare's request-body limit on the Free and Pro plans, far past any auth request: locally a
 * larger upload is cancelled instead (and that one connection closes).
 */
export const MAX_DRAIN_BYTES = 100 * 1024 * 1024;

/**
 * workerd's HTTP server discards at most 64 KiB of a body the Worker left unread, then closes the
 * keep-alive connection. Alchemy's local proxy (Bun's fetch, pooling its connections to workerd)
 * can send the next request, any request, onto the closed one: a 500 "ECONNRESET"; and the early
 * answer itself can reach the client as an empty 200. On Cloudflare the edge owns the client's
 * connection, so this runs in local mode only.
 */
export const drainBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  // The body as it came in: later middleware may swap `c.req.raw` for a parsed copy.
  const request = c.req.raw;
  await next();
  if (c.env?.AUTHFORM_MODE !== "local" || request.body === null || request.bodyUsed) return;
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_DRAIN_BYTES) {
    await request.body.cancel().catch(() => undefined);
    return;
  }
  await discard(request.body, MAX_DRAIN_BYTES);
};

async function discard(body: ReadableStream<Uint8Array>, limit: number): Promise<void> {
  try {
    const reader = body.getReader();
    let seen = 0;
    while (seen <= limit) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // A stream someone else holds, or a client that went away: no connection left to keep.
  }
}
