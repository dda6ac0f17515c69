/** Checks JSON request bodies before Better Auth sees them: bad JSON is a 400, an empty body is `{}`. */
import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";

/** Auth requests are small; a larger body is an abuse or a mistake. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const jsonBody: MiddlewareHandler = async (c, next) => {
  const req = c.req.raw;
  const type = req.headers.get("content-type") ?? "";
  if (!METHODS_WITH_BODY.has(req.method) || !type.toLowerCase().startsWith("application/json")) {
    return next();
  }
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_JSON_BODY_BYTES) throw tooLarge();
  const text = await req.text();
  if (text.length > MAX_JSON_BODY_BYTES) throw tooLarge();
  let body = text;
  // The seed asks clients to send `{}`; a client that sends nothing at all is treated the same.
  if (text.trim() === "") body = "{}";
  else {
    try {
      JSON.parse(text);
    } catch {
      throw new HTTPException(400, { message: "The request body is not valid JSON." });
    }
  }
  const headers = new Headers(req.headers);
  headers.delete("content-length");
  c.req.raw = new Request(req.url, { method: req.method, headers, body });
  return next();
};

function tooLarge() {
  return new HTTPException(413, { message: `The request body is larger than ${MAX_JSON_BODY_BYTES} bytes.` });
}
