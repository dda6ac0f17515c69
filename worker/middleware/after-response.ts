/**
 * Work that must not hold the response: Better Auth's callbacks cannot reach the Worker's execution
 * context, so this request-scoped hand-off gives them `ctx.waitUntil`. The work still runs to the end
 * (workerd keeps the request alive for it); the client just does not wait.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { MiddlewareHandler } from "hono";

type KeepAlive = (work: Promise<unknown>) => void;

const scopes = new AsyncLocalStorage<KeepAlive>();

/** Runs `work` without making the response wait; outside a request (or without an execution context) it just runs. */
export function afterResponse(work: Promise<unknown>): void {
  const keepAlive = scopes.getStore();
  if (keepAlive) keepAlive(work);
}

export const afterResponseScope: MiddlewareHandler = async (c, next) => {
  let keepAlive: KeepAlive = () => {};
  try {
    const ctx = c.executionCtx;
    keepAlive = (work) => ctx.waitUntil(work);
  } catch {
    // No execution context (app.request in unit tests): the work runs on its own.
  }
  await scopes.run(keepAlive, () => next());
};
