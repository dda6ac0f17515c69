/** One place that turns failures into JSON a client can read, without stacks or internals. */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";

/** An HTTP failure with its own machine-readable code (e.g. "token_expired"). */
export class CodedHttpError extends HTTPException {
  constructor(
    status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 502 | 503,
    readonly code: string,
    message: string,
  ) {
    super(status, { message });
  }
}

/**
 * A 429 that says when to come back: rendered with `Retry-After` and a body in both error styles
 * (authform's `error`, Better Auth's upper-case `code`), like Better Auth's own limiter's 429.
 */
export class RetryLaterError extends CodedHttpError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, code, message);
  }
}

export function jsonError(c: Context, status: number, code: string, message: string) {
  return c.json({ error: code, message }, status as 400);
}

export function handleError(err: Error, c: Context) {
  if (err instanceof RetryLaterError) {
    const body = {
      error: err.code,
      code: err.code.toUpperCase(),
      message: err.message,
      retryAfter: err.retryAfterSeconds,
    };
    return c.json(body, 429, { "retry-after": String(err.retryAfterSeconds) });
  }
  if (err instanceof CodedHttpError) return jsonError(c, err.status, err.code, err.message);
  if (err instanceof HTTPException) {
    return jsonError(c, err.status, codeFor(err.status), err.message || "Request failed");
  }
  // Log the cause for the operator; the client gets no internals.
  console.error(`authform: ${c.req.method} ${new URL(c.req.url).pathname} failed:`, err);
  return jsonError(c, 500, "internal_error", "Something went wrong on our side. Try again.");
}

export function handleNotFound(c: Context) {
  return jsonError(c, 404, "not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}`);
}

function codeFor(status: number): string {
  if (status === 400) return "bad_request";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 413) return "payload_too_large";
  if (status === 415) return "unsupported_media_type";
  return status >= 500 ? "internal_error" : "request_failed";
}
