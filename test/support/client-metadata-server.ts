/**
 * A loopback server a CIMD test starts to serve client ID metadata documents, and the hostile
 * variants: a redirect, an oversized body streamed without Content-Length, a body that never ends.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ClientMetadataServer {
  origin: string;
  /** A document URL whose body is `document(url)`. */
  serve(path: string, document: (url: string) => unknown, headers?: Record<string, string>): string;
  /** How many times a path was fetched. */
  hits(path: string): number;
  close(): Promise<void>;
}

export async function startClientMetadataServer(): Promise<ClientMetadataServer> {
  const documents = new Map<string, { body: (url: string) => unknown; headers: Record<string, string> }>();
  const counts = new Map<string, number>();
  const stalled = new Set<import("node:http").ServerResponse>();
  let origin = "";
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "/";
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const doc = documents.get(path);
    if (doc) {
      res.writeHead(200, { "content-type": "application/json", ...doc.headers });
      res.end(JSON.stringify(doc.body(`${origin}${path}`)));
    } else if (path === "/redirect.json") {
      res.writeHead(302, { location: `${origin}/good.json` });
      res.end();
    } else if (path === "/big.json") {
      // Chunked, no Content-Length: the cap must hold while reading, not only on the header.
      res.writeHead(200, { "content-type": "application/json" });
      res.write(`{"client_id":"${origin}${path}","padding":"`);
      for (let i = 0; i < 64; i++) res.write("x".repeat(1024));
      res.end('"}');
    } else if (path === "/slow.json") {
      // Headers and a first byte, then nothing: the time cap must cut the body off.
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{");
      stalled.add(res);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    serve(path, body, headers = {}) {
      documents.set(path, { body, headers });
      return `${origin}${path}`;
    },
    hits: (path) => counts.get(path) ?? 0,
    close: async () => {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
