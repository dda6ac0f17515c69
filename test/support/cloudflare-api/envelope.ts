/** Cloudflare's v4 response envelope: `{ success, errors, messages, result }`, as every API route answers. */

export interface CloudflareError {
  code: number;
  message: string;
}

export interface Envelope<T> {
  success: boolean;
  errors: CloudflareError[];
  messages: string[];
  result: T | null;
  result_info?: { page: number; per_page: number; count: number; total_count: number; total_pages: number };
}

/** A response the server writes: status and JSON body. */
export interface Reply {
  status: number;
  body: Envelope<unknown>;
}

export function ok<T>(result: T, status = 200): Reply {
  return { status, body: { success: true, errors: [], messages: [], result } };
}

/** A list answer with the pagination block list endpoints carry. */
export function okList<T>(items: T[]): Reply {
  const reply = ok(items);
  reply.body.result_info = {
    page: 1,
    per_page: Math.max(items.length, 20),
    count: items.length,
    total_count: items.length,
    total_pages: 1,
  };
  return reply;
}

export function fail(status: number, code: number, message: string): Reply {
  return { status, body: { success: false, errors: [{ code, message }], messages: [], result: null } };
}

/** Thrown by a handler to answer with a Cloudflare error. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }

  reply(): Reply {
    return fail(this.status, this.code, this.message);
  }
}
