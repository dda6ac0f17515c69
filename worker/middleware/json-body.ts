/** Checks JSON request bodies before Better Auth sees them: bad, too deep or too big JSON is a 4xx, an empty body is `{}`. */
import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";

/** Auth requests are small; a larger body is an abuse or a mistake. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/** Auth bodies nest a few levels (a passkey credential is the deepest); recursive merges overflow the stack near 4,000. */
export const MAX_JSON_DEPTH = 32;

/** RFC 5321: a forward path is at most 256 octets, so an address at most 254; longer ones no mail server takes. */
export const MAX_EMAIL_LENGTH = 254;
const EMAIL_FIELDS = ["email", "newEmail"] as const;

export const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const jsonBody: MiddlewareHandler = async (c, next) => {
  const req = c.req.raw;
  // The method first: a GET (get-session, the hottest path) needs no header read at all.
  if (!METHODS_WITH_BODY.has(req.method)) return next();
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) return next();
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_JSON_BODY_BYTES) throw tooLarge();
  const text = await req.text();
  if (text.length > MAX_JSON_BODY_BYTES) throw tooLarge();
  let body = text;
  // The seed asks clients to send `{}`; a client that sends nothing at all is treated the same.
  if (text.trim() === "") body = "{}";
  else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new HTTPException(400, { message: "The request body is not valid JSON." });
    }
    if (nestingDepth(text) > MAX_JSON_DEPTH) {
      throw new HTTPException(400, {
        message: `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`,
      });
    }
    checkEmailFields(parsed);
  }
  const headers = new Headers(req.headers);
  headers.delete("content-length");
  c.req.raw = new Request(req.url, { method: req.method, headers, body });
  return next();
};

function tooLarge() {
  return new HTTPException(413, { message: `The request body is larger than ${MAX_JSON_BODY_BYTES} bytes.` });
}

/** How deep arrays and objects nest in (valid) JSON text, counted without recursion. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) max = Math.max(max, ++depth);
    else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return max;
}

/** An address no mail server accepts would otherwise pass validation and fail at delivery, as a 502. */
function checkEmailFields(body: unknown) {
  if (typeof body !== "object" || body === null) return;
  for (const field of EMAIL_FIELDS) {
    const value = (body as Record<string, unknown>)[field];
    if (typeof value === "string" && value.length > MAX_EMAIL_LENGTH) {
      throw new HTTPException(400, { message: `${field} is longer than ${MAX_EMAIL_LENGTH} characters.` });
    }
  }
}
