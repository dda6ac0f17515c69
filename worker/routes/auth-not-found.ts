/** Better Auth answers an unknown path (e.g. a disabled plugin's endpoint) with an empty 404; give it the JSON every other 404 has. */
import type { Context } from "hono";
import { handleNotFound } from "../middleware/errors.ts";

export function withJsonNotFound(c: Context, res: Response): Response {
  // A 404 that carries a body (e.g. an API key that is not yours) is Better Auth's own answer: keep it.
  if (res.status !== 404 || res.headers.has("content-type")) return res;
  return handleNotFound(c);
}
