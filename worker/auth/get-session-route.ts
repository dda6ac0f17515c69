/**
 * GET <basePath>/get-session, the hottest auth read (every page view of every app), answered by
 * Better Auth's own getSession endpoint through `auth.api` instead of `auth.handler`. Better Auth
 * 1.7 rebuilds its whole router on every `handler` call (every endpoint re-wrapped, every path
 * re-added: docs/PERFORMANCE.md); `auth.api` runs the same endpoint through the same before/after
 * hooks (authform's and every plugin's) without that.
 *
 * What the router would add on this path, and why each is a no-op here (asserted against every
 * plugin in test/worker/get-session-route.test.ts, so an upgrade that changes one fails there):
 * - the origin/CSRF middleware returns at once for GET;
 * - the rate limiter: `/get-session` is in UNLIMITED_PATHS (rate-limit.ts);
 * - plugin `onRequest`/`onResponse`: only oauthProvider has one, for its metadata paths;
 * - plugin router `middlewares`: none of the bundled plugins has one;
 * - `disabledPaths`: authform sets none.
 */
import { isAPIError } from "better-auth/api";
import { toResponse } from "better-call";
import type { Auth } from "./create-auth.ts";

export const GET_SESSION_PATH = "/get-session";

/** The query as Better Auth's router reads it: a repeated key becomes an array. */
function routerQuery(href: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  // Most calls have no query string: no URL to parse then.
  if (!href.includes("?")) return query;
  new URL(href).searchParams.forEach((value, key) => {
    const seen = query[key];
    if (seen === undefined) query[key] = value;
    else query[key] = Array.isArray(seen) ? [...seen, value] : [seen, value];
  });
  return query;
}

interface GetSessionCall {
  getSession(input: {
    method: "GET";
    headers: Headers;
    query: Record<string, string | string[]>;
    request: Request;
    asResponse: true;
  }): Promise<Response>;
}

export async function answerGetSession(auth: Auth, request: Request): Promise<Response> {
  const api = auth.api as unknown as GetSessionCall;
  try {
    return await api.getSession({
      method: "GET",
      headers: request.headers,
      query: routerQuery(request.url),
      request,
      asResponse: true,
    });
  } catch (err) {
    // A hook's refusal (a bad API key: 401) is thrown past `asResponse`; the router answers it as
    // this does. Anything else is a fault: the Worker's error handler answers it (a JSON 500).
    if (isAPIError(err)) return toResponse(err);
    throw err;
  }
}
