/**
 * Reading the audit log through /api/v1: `GET /audit`, the caller's own events, and
 * `GET /admin/audit`, anyone's, for the config's admins only (admin-gate.ts). Newest first, paged by an opaque
 * cursor (`nextCursor`), at most MAX_LIMIT a page.
 */
import type { Hono } from "hono";
import { requireAdmin } from "../api/admin/admin-gate.ts";
import type { ApiEnv } from "../api/context.ts";
import { CodedHttpError } from "../middleware/errors.ts";
import type { WorkerSpec } from "../spec.ts";
import type { AuditRow } from "./event-types.ts";

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

interface Filters {
  userId?: string;
  type?: string;
  since?: number;
  until?: number;
}

class BadAuditQuery extends CodedHttpError {
  constructor(message: string) {
    super(400, "invalid_audit_query", message);
  }
}

function limitOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new BadAuditQuery("limit must be a whole number of at least 1.");
  return Math.min(n, MAX_LIMIT);
}

function timeOf(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(n)) throw new BadAuditQuery(`${name} must be ms since the epoch or an ISO date.`);
  return n;
}

/** The cursor is the last row's (at, id): rows strictly older come next, ties broken by id. */
function cursorOf(value: string | undefined): { at: number; id: string } | undefined {
  if (value === undefined) return undefined;
  let decoded = "";
  try {
    decoded = atob(value.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    // Not base64: refused below like any other cursor this API did not hand out.
  }
  const [at, id] = decoded.split(":", 2);
  if (!id || !/^\d+$/.test(at ?? "")) throw new BadAuditQuery("cursor is not one this API returned.");
  return { at: Number(at), id };
}

function encodeCursor(row: AuditRow): string {
  return btoa(`${row.at}:${row.id}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function page(db: D1Database, filters: Filters, query: Record<string, string | undefined>) {
  const limit = limitOf(query.limit);
  const cursor = cursorOf(query.cursor);
  const where: string[] = [];
  const args: (string | number)[] = [];
  const add = (clause: string, ...values: (string | number)[]) => {
    where.push(clause);
    args.push(...values);
  };
  if (filters.userId !== undefined) add("userId = ?", filters.userId);
  if (filters.type !== undefined) add("type = ?", filters.type);
  if (filters.since !== undefined) add("at >= ?", filters.since);
  if (filters.until !== undefined) add("at < ?", filters.until);
  if (cursor) add("(at < ? OR (at = ? AND id < ?))", cursor.at, cursor.at, cursor.id);
  const sql = `SELECT * FROM auditLog ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY at DESC, id DESC LIMIT ?`;
  const { results } = await db
    .prepare(sql)
    .bind(...args, limit + 1)
    .all<AuditRow>();
  const rows = results.slice(0, limit);
  const events = rows.map((row) => ({
    ...row,
    detail: row.detail ? (JSON.parse(row.detail) as unknown) : null,
  }));
  const last = rows.at(-1);
  return { events, nextCursor: results.length > limit && last ? encodeCursor(last) : null };
}

/** Registered after /api/v1's authentication: `c.get("auth")` is the caller. */
export function auditRoutes(app: Hono<ApiEnv>, spec: WorkerSpec): void {
  app.get("/audit", async (c) => {
    const query = c.req.query();
    const body = await page(c.env.DB, { userId: c.get("auth").userId, type: query.type }, query);
    return c.json(body, 200, { "cache-control": "no-store" });
  });

  app.get("/admin/audit", async (c) => {
    // A config admin; with an API key, one whose permissions include admin "read".
    await requireAdmin(c, spec, "read");
    const query = c.req.query();
    const filters: Filters = {
      userId: query.userId,
      type: query.type,
      since: timeOf("since", query.since),
      until: timeOf("until", query.until),
    };
    return c.json(await page(c.env.DB, filters, query), 200, { "cache-control": "no-store" });
  });
}
