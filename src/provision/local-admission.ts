/**
 * Local mode: admission control in front of workerd. Alchemy's dev server hands every request to
 * `Miniflare#dispatchFetch`; this lets a few through at a time, queues the rest in the program, and
 * sends each on a connection of its own.
 *
 * Why (docs/RELIABILITY.md, "Load"): workerd runs the Worker and its own HTTP server on one thread.
 * With many sign-ups queued inside it (each ~55 ms or more of scrypt), that thread goes seconds
 * without reading its sockets, and its HTTP server's timeouts close connections whose next request
 * is already waiting unread: the kernel answers with a reset, Alchemy with a 500 "ECONNRESET". Those
 * requests never reached the Worker. Keeping the queue on this side keeps workerd's own short; a
 * fresh connection per request leaves no idle one for the keep-alive timeout to close under a request.
 */
import { type AdmissionGate, createAdmissionGate } from "./admission-gate.ts";

/**
 * Requests in workerd at once. 8 concurrent sign-ups straight to workerd gave no reset on a busy
 * 2-core machine where 16 did; get-session throughput is the same at 8 as at 10 (one thread).
 */
export const LOCAL_IN_FLIGHT_LIMIT = 8;

/** `AUTHFORM_LOCAL_IN_FLIGHT`: the limit, or 0 for none (to measure what the gate costs). */
export function localInFlightLimit(env: Record<string, string | undefined>): number {
  const value = env.AUTHFORM_LOCAL_IN_FLIGHT;
  if (value === undefined || value === "") return LOCAL_IN_FLIGHT_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 0) {
    throw new Error(
      `AUTHFORM_LOCAL_IN_FLIGHT must be a whole number (0 for no limit), got ${JSON.stringify(value)}`,
    );
  }
  return limit;
}

type Dispatch = (input: unknown, init?: unknown) => Promise<unknown>;
interface DispatchingMiniflare {
  dispatchFetch: Dispatch;
}

const shielded = new WeakSet<object>();

/**
 * Puts a gate of `limit` in front of the Miniflare instance Alchemy's dev server uses now and every
 * one it creates later (it makes a new one when a watched file changes). Call once the local Worker
 * is up. `limit` 0 leaves workerd unshielded (to measure what the gate costs).
 */
export function shieldLocalWorkerd(limit: number = LOCAL_IN_FLIGHT_LIMIT): AdmissionGate | undefined {
  if (limit === 0) return undefined;
  const controller = alchemyDevServer();
  if (shielded.has(controller)) throw new Error("workerd is already behind an admission gate");
  shielded.add(controller);
  const gate = createAdmissionGate(limit);
  let current = withGate(controller.miniflare, gate);
  // Alchemy reads `controller.miniflare` for each request and replaces it on reload.
  Object.defineProperty(controller, "miniflare", {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (next: DispatchingMiniflare | undefined) => {
      current = withGate(next, gate);
    },
  });
  return gate;
}

/** Alchemy 0.94's MiniflareController (src/cloudflare/miniflare/miniflare-controller.ts), checked for the one field used. */
function alchemyDevServer(): { miniflare: DispatchingMiniflare | undefined } {
  const controller: unknown = (globalThis as { ALCHEMY_MINIFLARE_CONTROLLER?: unknown })
    .ALCHEMY_MINIFLARE_CONTROLLER;
  if (typeof controller !== "object" || controller === null || !("miniflare" in controller)) {
    throw new Error(
      "Alchemy's local dev server (globalThis.ALCHEMY_MINIFLARE_CONTROLLER) was not found after the Worker started; " +
        "an Alchemy upgrade may have moved it (src/provision/local-admission.ts)",
    );
  }
  return controller as { miniflare: DispatchingMiniflare | undefined };
}

function withGate(
  mf: DispatchingMiniflare | undefined,
  gate: AdmissionGate,
): DispatchingMiniflare | undefined {
  if (!mf || shielded.has(mf)) return mf;
  shielded.add(mf);
  const dispatch = mf.dispatchFetch;
  mf.dispatchFetch = async (input, init) => {
    const giveBack = await gate.acquire(signalOf(input, init));
    let response: unknown;
    try {
      response = await dispatch(onItsOwnConnection(input), init);
    } catch (error) {
      giveBack(); // passed on as it is: a reset cannot tell whether the Worker ran the request
      throw error;
    }
    return heldUntilRead(response, giveBack);
  };
  return mf;
}

/**
 * One connection per request to workerd, closed after its answer: never one from Bun's keep-alive
 * pool. workerd's HTTP server (kj, `HttpServerSettings.pipelineTimeout`, 5 s) closes a connection
 * that has been idle for 5 s; when its thread is busy in a request (a password hash) at that moment,
 * the timer and a request already sent on that connection meet in one turn, the close wins, and the
 * kernel resets the unread request: Alchemy's 500 "ECONNRESET" for a burst that follows a pause of
 * about 5 s (reproduced on a quiet machine, test/stack/local-load.test.ts). Bun re-sends only a GET
 * after such a reset. `Connection: close` on every request keeps nothing in the pool (Bun still
 * reuses a pooled connection for a request that says close, so it has to be every request).
 * Alchemy forwards the client's own `Connection` header, which is for the client's hop only.
 */
function onItsOwnConnection(input: unknown): unknown {
  const headers = (input as { headers?: unknown } | undefined)?.headers;
  if (headers instanceof Headers) headers.set("connection", "close");
  return input;
}

/**
 * Holds the place until the answer's body is read to its end (or dropped), not just until its
 * headers: the request's connection to workerd is open until then, so the gate bounds connections
 * as well as requests (given back at the headers, a first version of the gate had more connections
 * open than places, and spares idle while workerd was busy).
 */
function heldUntilRead(response: unknown, giveBack: () => void): unknown {
  // Miniflare's own Response class: read by shape, answered with a standard Response.
  const answer = response as Partial<Pick<Response, "status" | "statusText" | "headers" | "body">> | null;
  if (!answer || typeof answer.status !== "number" || !(answer.body instanceof ReadableStream)) {
    giveBack();
    return response;
  }
  const reader = answer.body.getReader();
  const passed = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          giveBack();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        giveBack();
        controller.error(error);
      }
    },
    async cancel(reason) {
      giveBack();
      await reader.cancel(reason);
    },
  });
  return new Response(passed, {
    status: answer.status,
    statusText: answer.statusText,
    headers: answer.headers,
  });
}

/** Alchemy's request carries an abort signal for a client that goes away: it then leaves the queue. */
function signalOf(input: unknown, init: unknown): AbortSignal | undefined {
  for (const candidate of [init, input]) {
    const signal = (candidate as { signal?: unknown } | undefined)?.signal;
    if (typeof signal === "object" && signal !== null && "aborted" in signal) return signal as AbortSignal;
  }
  return undefined;
}
