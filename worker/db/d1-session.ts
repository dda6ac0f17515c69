/**
 * D1's Sessions API per request: reads may go to read replicas, a client's own writes stay visible
 * to it (a bookmark in a cookie or the `x-d1-bookmark` header), writes go to the primary.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { WorkerEnv } from "../env.ts";
import { requestSlot } from "../middleware/request-state.ts";

/** Cloudflare's documented header for a D1 bookmark; the cookie carries it for browsers. */
export const BOOKMARK_HEADER = "x-d1-bookmark";
export const BOOKMARK_COOKIE = "authform_d1_bookmark";
/** Test builds (`AUTHFORM_COUNT_D1_QUERIES=1`): how many D1 statements the request ran. */
export const QUERY_COUNT_HEADER = "x-authform-d1-queries";

/** A bookmark outlives replica lag by far; after it expires any replica is fresh enough. */
const BOOKMARK_MAX_AGE_SECONDS = 300;
/** D1 bookmarks are hex groups joined by dashes; anything else is ignored, never passed to D1. */
const BOOKMARK_SHAPE = /^[0-9a-f]+(-[0-9a-f]+)*$/i;
/** What String.prototype.trim removes: a cookie's name may have it around it. */
const BLANK = /\s/;
const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/**
 * Reads that may start on a replica: get-session, /api/v1/me and the list endpoints
 * (list-sessions, organization/list-members, api-key/list, passkey/list-user-passkeys, ...).
 * Other GETs can write or consume (magic-link/verify, verify-email, oauth2/authorize): they start
 * on the primary, like every POST.
 */
const REPLICA_READS = /\/(get-session|me|list(-[a-z-]+)?)$/;

interface RequestScope {
  session: D1DatabaseSession | undefined;
  queries: number;
  /** Rows this request already read from D1, by key, so a later step of it need not read them again. */
  memo: Map<string, string>;
  /**
   * Answers of read-only statements this request ran, by statement and arguments, for steps that
   * read the same rows again (session-lookup.ts). Any other statement the request runs through its
   * D1 session empties it, so no read is answered from before the request's own write. Made on
   * first use: most requests read nothing twice.
   */
  reads?: Map<string, unknown[][]>;
}

/** A statement that only reads: it cannot make a remembered answer stale. */
const READ_ONLY = /^\s*select\b/i;

const scopes = requestSlot<RequestScope>("d1 session");

/**
 * The D1 binding Better Auth's adapter is built on (once per isolate): every statement goes to
 * the current request's D1 session, or to the binding itself outside a request.
 */
export function routedD1(db: D1Database): D1Database {
  const target = () => scopes.get()?.session ?? db;
  const routed: D1Database = {
    prepare(query) {
      const scope = scopes.get();
      if (scope) {
        scope.queries++;
        if (scope.reads && !READ_ONLY.test(query)) scope.reads.clear();
      }
      return target().prepare(query);
    },
    batch: (statements) => {
      scopes.get()?.reads?.clear();
      return target().batch(statements);
    },
    // exec and dump are not part of a session: schema work and exports run on the primary.
    exec: (query) => db.exec(query),
    dump: () => db.dump(),
    withSession: (constraint) => db.withSession(constraint),
  };
  return routed;
}

/** The current request's remembered read-only answers (undefined outside a request). */
export function requestReads(): Map<string, unknown[][]> | undefined {
  const scope = scopes.get();
  if (scope) scope.reads ??= new Map();
  return scope?.reads;
}

/** The current request's memo of rows read from D1 (undefined outside a request). */
export function requestMemo(): Map<string, string> | undefined {
  return scopes.get()?.memo;
}

/**
 * Hono middleware: opens a D1 session for the request and hands its bookmark back. Session reads
 * and lists may start on any replica (at least as fresh as the client's bookmark); everything
 * else starts on the primary, so what a write depends on is current.
 */
export const d1Sessions: MiddlewareHandler<{ Bindings: WorkerEnv }> = async (c, next) => {
  const incoming =
    bookmarkFrom(c.req.header(BOOKMARK_HEADER)) ?? bookmarkFrom(bookmarkCookie(c.req.header("cookie")));
  const start = sessionStart(c.req.method, c.req.path, incoming);
  const scope: RequestScope = {
    session: openSession(c.env.DB, start),
    queries: 0,
    memo: new Map(),
  };
  await scopes.run(scope, () => next());

  // Plain pairs, not a Headers: the common answer adds one header, and most add nothing else.
  const extra: [string, string][] = [];
  const bookmark = scope.session?.getBookmark() ?? null;
  if (bookmark) {
    extra.push([BOOKMARK_HEADER, bookmark]);
    // Only a request that may have written moves the browser's bookmark: reads need no newer one.
    if (start === "first-primary" && bookmark !== incoming) {
      const secure = c.env.BETTER_AUTH_URL.startsWith("https:") ? "; Secure" : "";
      extra.push([
        "set-cookie",
        `${BOOKMARK_COOKIE}=${bookmark}; Path=/; Max-Age=${BOOKMARK_MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax${secure}`,
      ]);
    }
  }
  if (c.env.AUTHFORM_COUNT_D1_QUERIES === "1") extra.push([QUERY_COUNT_HEADER, String(scope.queries)]);
  if (extra.length > 0) addHeaders(c, extra);
};

/** Where a request's D1 session starts: its bookmark, or a constraint for the first query. */
export function sessionStart(method: string, pathname: string, bookmark: string | undefined): string {
  if (!READ_METHODS.has(method) || !REPLICA_READS.test(pathname)) return "first-primary";
  return bookmark ?? "first-unconstrained";
}

function openSession(db: D1Database, start: string): D1DatabaseSession | undefined {
  // Older runtimes (and test doubles) without the Sessions API run everything on the binding.
  if (typeof db.withSession !== "function") return undefined;
  try {
    return db.withSession(start);
  } catch {
    // A bookmark D1 does not accept (another database's, or too old): start fresh.
    return db.withSession("first-unconstrained");
  }
}

function bookmarkFrom(value: string | undefined): string | undefined {
  return value && value.length <= 256 && BOOKMARK_SHAPE.test(value) ? value : undefined;
}

/** The bookmark cookie's value: found by position, without splitting every other cookie of the header. */
export function bookmarkCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (let at = header.indexOf(BOOKMARK_COOKIE); at !== -1; at = header.indexOf(BOOKMARK_COOKIE, at + 1)) {
    // The whole name only: at the header's start or after `;` and blanks, then `=` (or nothing).
    let before = at - 1;
    while (before >= 0 && BLANK.test(header.charAt(before))) before--;
    if (before >= 0 && header.charAt(before) !== ";") continue;
    const after = at + BOOKMARK_COOKIE.length;
    const end = header.indexOf(";", after);
    const rest = end === -1 ? header.slice(after) : header.slice(after, end);
    if (rest.charAt(0) === "=") return rest.slice(1).trimEnd();
    // A bare name (no `=`) has an empty value; a longer name is another cookie.
    if (rest.trim() === "") return "";
  }
  return undefined;
}

/** Adds headers to the response, first copying it when its headers are immutable (a fetched one). */
function addHeaders(c: Context, extra: readonly [string, string][]): void {
  try {
    for (const [name, value] of extra) c.res.headers.append(name, value);
  } catch {
    // Hono's setter carries the old response's headers (Set-Cookie included) over to the copy.
    c.res = new Response(c.res.body, c.res);
    for (const [name, value] of extra) c.res.headers.append(name, value);
  }
}
