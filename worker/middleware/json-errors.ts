/** Gives every bodiless error from Better Auth (e.g. a disabled endpoint's 404, an uncaught 500) authform's JSON error. */
import type { MiddlewareHandler } from "hono";
import { jsonError } from "./errors.ts";

export const jsonErrors: MiddlewareHandler = async (c, next) => {
  await next();
  const res = c.res;
  if (res.status < 400 || (res.body !== null && (await res.clone().text()) !== "")) return;
  const headers = new Headers(res.headers);
  c.res = undefined;
  c.res = jsonError(c, res.status, codeFor(res.status), messageFor(res.status));
  // Keep what the status comes with (WWW-Authenticate, Retry-After, CORS); the body is new.
  for (const [name, value] of headers) {
    if (!["content-type", "content-length", "set-cookie"].includes(name)) c.res.headers.set(name, value);
  }
  for (const cookie of headers.getSetCookie()) c.res.headers.append("set-cookie", cookie);
};

function codeFor(status: number): string {
  if (status === 400) return "bad_request";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 405) return "method_not_allowed";
  return status >= 500 ? "internal_error" : "request_failed";
}

function messageFor(status: number): string {
  if (status === 404) return `No such endpoint, or it is not enabled.`;
  return status >= 500 ? "Something went wrong on our side. Try again." : "The request was refused.";
}
