/**
 * Work that must not hold the response: Better Auth's callbacks cannot reach the Worker's execution
 * context, so this request-scoped hand-off gives them `ctx.waitUntil`. The work still runs to the end
 * (workerd keeps the request alive for it); the client just does not wait.
 */
import type { MiddlewareHandler } from "hono";
import { requestSlot } from "./request-state.ts";

type KeepAlive = Pick<ExecutionContext, "waitUntil">;

/**
 * The slot (request-state.ts) holds the execution context itself, never a closure made here: workerd
 * keeps a store's value through a strong handle, and a closure over this middleware's scope reaches Hono's context,
 * its response and the request's async frame, which holds the store again. That cycle kept every
 * request's Request, Response and stores alive for the isolate's life (docs/PERFORMANCE.md, "Memory").
 */
const scopes = requestSlot<KeepAlive | undefined>("after response");

/** Runs `work` without making the response wait; outside a request (or without an execution context) it just runs. */
export function afterResponse(work: Promise<unknown>): void {
  scopes.get()?.waitUntil(work);
}

export const afterResponseScope: MiddlewareHandler = async (c, next) => {
  let ctx: KeepAlive | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    // No execution context (app.request in unit tests): the work runs on its own.
  }
  await scopes.run(ctx, next);
};
