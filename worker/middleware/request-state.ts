/**
 * One AsyncLocalStorage for everything a request keeps out of band: its D1 session
 * (db/d1-session.ts), its execution context for work after the response (after-response.ts) and its
 * audit batch (audit/request-scope.ts). Each concern owns a slot; the outermost layer to open one
 * starts the request's state, and the layers inside it only fill their slot. Three storages ran
 * three `run`s per request, each a new async context frame: about 0.13 ms of a get-session's CPU
 * (docs/PERFORMANCE.md).
 *
 * A slot must never hold anything that reaches Hono's context or the Response: workerd keeps a
 * store's value through a strong handle, and a value that reaches the request's async frame keeps
 * the whole request alive for the isolate's life (after-response.ts says how that happened once).
 */
import { AsyncLocalStorage } from "node:async_hooks";

type RequestState = Record<symbol, unknown>;

const states = new AsyncLocalStorage<RequestState>();

export interface RequestSlot<T> {
  /** This request's value, or undefined outside a request (or before the slot's layer ran). */
  get(): T | undefined;
  /** Runs `next` with `value` in this slot: in the request's state, or in a new one outside any. */
  run<R>(value: T, next: () => Promise<R>): Promise<R>;
  /** This request's value, made by `make` when first asked for; undefined outside a request. */
  ensure(make: () => T): T | undefined;
}

export function requestSlot<T>(name: string): RequestSlot<T> {
  const key = Symbol(name);
  return {
    get: () => states.getStore()?.[key] as T | undefined,
    run: (value, next) => {
      const state = states.getStore();
      if (state === undefined) return states.run({ [key]: value }, next);
      state[key] = value;
      return next();
    },
    ensure: (make) => {
      const state = states.getStore();
      if (state === undefined) return undefined;
      if (!(key in state)) state[key] = make();
      return state[key] as T;
    },
  };
}
