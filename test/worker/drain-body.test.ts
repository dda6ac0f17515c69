/** drainBody on a bare Hono app: in local mode an unread body is read to the end before the answer leaves. */
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { WorkerEnv } from "../../worker/env.ts";
import { drainBody, MAX_DRAIN_BYTES } from "../../worker/middleware/drain-body.ts";
import type { AppEnv } from "../../worker/spec.ts";

const CHUNK = new Uint8Array(16 * 1024);

/** A body of `chunks` × 16 KiB that counts what was pulled from it and whether it was cancelled. */
function countedBody(chunks: number) {
  const seen = { bytes: 0, done: false, cancelled: false };
  let left = chunks;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left-- === 0) {
        seen.done = true;
        controller.close();
        return;
      }
      seen.bytes += CHUNK.byteLength;
      controller.enqueue(CHUNK);
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

function app() {
  const app = new Hono<AppEnv>();
  app.use("*", drainBody);
  // Answers early without touching the body, as a 413/415/404 does.
  app.post("/early", (c) => c.json({ error: "unsupported_media_type" }, 415));
  app.post("/reads", async (c) => c.json({ length: (await c.req.text()).length }));
  return app;
}

const send = (path: string, body: ReadableStream<Uint8Array>, mode: "local" | "deploy", length?: number) =>
  app().request(
    new Request(`http://localhost${path}`, {
      method: "POST",
      headers: { "content-type": "text/plain", ...(length ? { "content-length": String(length) } : {}) },
      body,
      duplex: "half",
    } as RequestInit),
    undefined,
    { AUTHFORM_MODE: mode } as WorkerEnv,
  );

describe("drainBody", () => {
  it("in local mode, reads an unread 1 MiB body to its end before answering, and keeps the answer", async () => {
    const { stream, seen } = countedBody(64);
    const res = await send("/early", stream, "local");
    expect(seen).toEqual({ bytes: 64 * CHUNK.byteLength, done: true, cancelled: false });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({ error: "unsupported_media_type" });
  });

  it("leaves a body the route already read alone", async () => {
    const { stream, seen } = countedBody(4);
    const res = await send("/reads", stream, "local");
    expect(await res.json()).toEqual({ length: 4 * CHUNK.byteLength });
    expect(seen.done).toBe(true);
  });

  it(`cancels instead of reading a body declared larger than ${MAX_DRAIN_BYTES} bytes`, async () => {
    const { stream, seen } = countedBody(10);
    const res = await send("/early", stream, "local", MAX_DRAIN_BYTES + 1);
    expect(res.status).toBe(415);
    expect(seen.cancelled).toBe(true);
    expect(seen.done).toBe(false);
  });

  it("stops reading an undeclared body past the limit", async () => {
    const chunks = MAX_DRAIN_BYTES / CHUNK.byteLength + 8;
    const { stream, seen } = countedBody(chunks);
    const res = await send("/early", stream, "local");
    expect(res.status).toBe(415);
    expect(seen.cancelled).toBe(true);
    expect(seen.bytes).toBeLessThan(chunks * CHUNK.byteLength);
  });

  it("in deploy mode reads nothing (Cloudflare's edge owns the client's connection)", async () => {
    const { stream, seen } = countedBody(64);
    const res = await send("/early", stream, "deploy");
    expect(res.status).toBe(415);
    expect(seen.done).toBe(false);
    expect(seen.bytes).toBeLessThan(64 * CHUNK.byteLength);
  });
});
