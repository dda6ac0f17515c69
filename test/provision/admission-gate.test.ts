/**
 * The admission gate in front of local workerd, against a real loopback HTTP server standing in for
 * it: never more requests at the server than the limit, the rest served in arrival order, a client
 * that leaves while queued never reaches the server, and a request that failed is never sent again.
 * (The local stack under it: test/hardening/load.test.ts, which on a busy machine failed without it.)
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createAdmissionGate } from "../../src/provision/admission-gate.ts";
import { localInFlightLimit } from "../../src/provision/local-admission.ts";

interface Upstream {
  url: string;
  /** Request ids in the order the server received them. */
  received: string[];
  peak: number;
  close(): Promise<void>;
}

let upstream: Upstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

/** Answers after `delayMs`; `/reset` reads the request and then destroys the connection (a reset, no answer). */
async function startUpstream(delayMs: number): Promise<Upstream> {
  const received: string[] = [];
  let active = 0;
  let peak = 0;
  const server = http.createServer((req, res) => {
    received.push(req.headers["x-id"] as string);
    active++;
    peak = Math.max(peak, active);
    setTimeout(() => {
      active--;
      if (req.url === "/reset") req.socket.resetAndDestroy();
      else res.end(req.headers["x-id"]);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const state: Upstream = {
    url: `http://127.0.0.1:${port}`,
    received,
    get peak() {
      return peak;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  upstream = state;
  return state;
}

const send = (server: Upstream, id: string, path = "/", signal?: AbortSignal) =>
  fetch(`${server.url}${path}`, { headers: { "x-id": id }, signal }).then((r) => r.text());

describe("admission gate", () => {
  it("keeps at most `limit` requests at the server and serves the rest in arrival order", async () => {
    const server = await startUpstream(40);
    const gate = createAdmissionGate(3);
    const ids = Array.from({ length: 12 }, (_, i) => `r${i}`);
    const answers = await Promise.all(ids.map((id) => gate.run(() => send(server, id))));
    expect(answers).toEqual(ids);
    expect(server.peak).toBe(3);
    // First come, first served: the server saw them in the order they were queued.
    expect(server.received).toEqual(ids);
    expect(gate.inFlight).toBe(0);
    expect(gate.waiting).toBe(0);
  });

  it("drops a queued request whose client went away: it never reaches the server", async () => {
    const server = await startUpstream(80);
    const gate = createAdmissionGate(1);
    const leaving = new AbortController();
    const first = gate.run(() => send(server, "first"));
    const gone = gate.run(() => send(server, "gone", "/", leaving.signal), leaving.signal);
    const third = gate.run(() => send(server, "third"));
    expect(gate.waiting).toBe(2);
    leaving.abort();
    await expect(gone).rejects.toMatchObject({ name: "AbortError" });
    expect(await first).toBe("first");
    expect(await third).toBe("third");
    expect(server.received).toEqual(["first", "third"]);
  });

  it("passes a reset through to the caller and never sends that request again", async () => {
    const server = await startUpstream(10);
    const gate = createAdmissionGate(2);
    let calls = 0;
    const failed = gate.run(() => {
      calls++;
      return send(server, "once", "/reset");
    });
    await expect(failed).rejects.toThrow();
    expect(calls).toBe(1);
    expect(server.received).toEqual(["once"]);
    // The place it held is free again.
    expect(gate.inFlight).toBe(0);
    expect(await gate.run(() => send(server, "after"))).toBe("after");
  });

  it("gives a place back once however often its holder lets go", async () => {
    const gate = createAdmissionGate(1);
    const letGo = await gate.acquire();
    const next = gate.acquire();
    const after = gate.acquire();
    letGo();
    letGo();
    const letGoNext = await next;
    // The second call freed nothing: the third caller still waits behind the second.
    expect(gate.inFlight).toBe(1);
    expect(gate.waiting).toBe(1);
    letGoNext();
    (await after)();
    expect(gate.inFlight).toBe(0);
  });

  it("refuses a limit that is not a whole number of at least 1", () => {
    expect(() => createAdmissionGate(0)).toThrow(RangeError);
    expect(() => createAdmissionGate(2.5)).toThrow(RangeError);
  });
});

describe("AUTHFORM_LOCAL_IN_FLIGHT", () => {
  it("defaults to 8, takes a whole number, 0 turns the gate off, and refuses anything else", () => {
    expect(localInFlightLimit({})).toBe(8);
    expect(localInFlightLimit({ AUTHFORM_LOCAL_IN_FLIGHT: "" })).toBe(8);
    expect(localInFlightLimit({ AUTHFORM_LOCAL_IN_FLIGHT: "20" })).toBe(20);
    expect(localInFlightLimit({ AUTHFORM_LOCAL_IN_FLIGHT: "0" })).toBe(0);
    expect(() => localInFlightLimit({ AUTHFORM_LOCAL_IN_FLIGHT: "-1" })).toThrow(/whole number/);
    expect(() => localInFlightLimit({ AUTHFORM_LOCAL_IN_FLIGHT: "lots" })).toThrow(/whole number/);
  });
});
