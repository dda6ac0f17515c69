/**
 * A request's audit events: Better Auth's hooks cannot reach the Worker's execution context, so
 * they add events to this request-scoped collector, and the middleware hands them to
 * `ctx.waitUntil` once the response is ready. A sign-in never waits on the audit write.
 */
import type { MiddlewareHandler } from "hono";
import type { WorkerEnv } from "../env.ts";
import { requestSlot } from "../middleware/request-state.ts";
import type { AuditEvent, AuditRow } from "./event-types.ts";
import { writeAuditRows } from "./recorder.ts";

/** Enough to tell browsers apart; a long header is the client's to make, not ours to store. */
const USER_AGENT_MAX = 256;

interface AuditScope {
  /** The request's headers as they came in; read only when the request records an event (most record none). */
  headers: Headers;
  client?: { ip: string | null; userAgent: string | null };
  rows: AuditRow[];
}

/** Who sent the request: the address Better Auth trusts too (create-auth.ts: Cloudflare sets it, a client cannot) and its browser. */
function clientOf(scope: AuditScope): { ip: string | null; userAgent: string | null } {
  scope.client ??= {
    ip: scope.headers.get("cf-connecting-ip"),
    userAgent: scope.headers.get("user-agent")?.slice(0, USER_AGENT_MAX) ?? null,
  };
  return scope.client;
}

const scopes = requestSlot<AuditScope>("audit");

/** Adds an event to the current request's batch (outside a request there is nothing to attribute it to). */
export function recordAudit(event: AuditEvent): void {
  const scope = scopes.get();
  if (!scope) return;
  const { ip, userAgent } = clientOf(scope);
  scope.rows.push({
    id: crypto.randomUUID(),
    at: Date.now(),
    type: event.type,
    userId: event.userId,
    actorId: event.actorId === undefined ? event.userId : event.actorId,
    ip,
    userAgent,
    organizationId: event.organizationId ?? null,
    method: event.method ?? null,
    detail: event.detail ? JSON.stringify(event.detail) : null,
  });
}

/** Something else a request's events feed once it is answered (webhooks: worker/webhooks/enqueue.ts). */
export type AuditListener = (env: WorkerEnv, rows: readonly AuditRow[]) => Promise<void>;

export const auditScope =
  (listener?: AuditListener): MiddlewareHandler<{ Bindings: WorkerEnv }> =>
  async (c, next) => {
    // The incoming request's own headers: a later layer may swap `c.req.raw` (json-body.ts), not what it came with.
    const scope: AuditScope = { headers: c.req.raw.headers, rows: [] };
    await scopes.run(scope, () => next());
    if (scope.rows.length === 0) return;
    // On the binding itself, not the request's D1 session: the write outlives the request.
    const written = writeAuditRows(c.env.DB, scope.rows);
    const write = listener ? Promise.all([written, listener(c.env, scope.rows)]) : written;
    try {
      c.executionCtx.waitUntil(write);
    } catch {
      // No execution context (app.request in unit tests): the write runs on its own.
    }
  };
