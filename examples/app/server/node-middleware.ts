/** Serves a web-standard fetch handler from Vite's (Node) dev server, for the paths under `prefix`. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

type Next = (err?: unknown) => void;

export function fetchMiddleware(prefix: string, handle: (request: Request) => Promise<Response>) {
  return async (req: IncomingMessage, res: ServerResponse, next: Next): Promise<void> => {
    if (!req.url?.startsWith(prefix)) return next();
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
        else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      }
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, {
        method: req.method,
        headers,
        ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: "half" } : {}),
      });
      const response = await handle(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (err) {
      next(err);
    }
  };
}
