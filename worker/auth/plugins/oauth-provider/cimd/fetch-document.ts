/**
 * Fetches a client ID metadata document with Workers' own fetch, within limits a hostile URL
 * cannot stretch: no redirects followed (a 3xx is a refusal), a time cap on the whole exchange, a
 * size cap enforced while streaming (the body is cut off, not buffered first), and a JSON type.
 */

export const DOCUMENT_LIMITS = {
  /** The draft suggests 5 KB; a real client's document is well under 2. */
  maxBytes: 5 * 1024,
  timeoutMs: 3_000,
};

export interface FetchedDocument {
  body: unknown;
  /** The response's Cache-Control, for the cache. */
  cacheControl: string | null;
}

export class DocumentFetchError extends Error {}

export async function fetchDocument(url: URL, limits = DOCUMENT_LIMITS): Promise<FetchedDocument> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  try {
    const res = await fetch(url, {
      redirect: "manual",
      signal: controller.signal,
      headers: { accept: "application/json" },
    }).catch((err: unknown) => {
      throw new DocumentFetchError(
        controller.signal.aborted ? "took too long" : `could not be fetched (${errorName(err)})`,
      );
    });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      throw new DocumentFetchError("redirected; redirects are not followed");
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new DocumentFetchError(`answered ${res.status}`);
    }
    if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(res.headers.get("content-type") ?? "")) {
      await res.body?.cancel();
      throw new DocumentFetchError("is not JSON (Content-Type)");
    }
    const declared = Number(res.headers.get("content-length") ?? "0");
    if (declared > limits.maxBytes) {
      await res.body?.cancel();
      throw new DocumentFetchError(`is larger than ${limits.maxBytes} bytes`);
    }
    const text = await readCapped(res, limits.maxBytes, controller.signal);
    try {
      return { body: JSON.parse(text) as unknown, cacheControl: res.headers.get("cache-control") };
    } catch {
      throw new DocumentFetchError("is not valid JSON");
    }
  } finally {
    clearTimeout(timer);
  }
}

/** The body as text, refused once it passes `maxBytes` or the time runs out mid-stream. */
async function readCapped(res: Response, maxBytes: number, signal: AbortSignal): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(new DocumentFetchError("took too long"));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });
  aborted.catch(() => {});
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw new DocumentFetchError(`is larger than ${maxBytes} bytes`);
      chunks.push(value);
    }
  } catch (err) {
    await reader.cancel().catch(() => {});
    throw err instanceof DocumentFetchError ? err : new DocumentFetchError("could not be read");
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : "error";
}
