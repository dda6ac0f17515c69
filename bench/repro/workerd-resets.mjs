/**
 * Minimal reproduction, no authform, no Alchemy: workerd resets connections under local concurrency
 * when its Worker keeps the thread busy. A Worker that spends BURN_MS of synchronous CPU per request
 * (as a password hash does) runs in workerd via Miniflare; Node's http client sends CONCURRENCY
 * POSTs at a time straight to workerd's entry socket, TOTAL in all. Prints the statuses and the
 * failures, and how many requests the Worker actually saw (a reset request never reached it).
 *
 *   node bench/repro/workerd-resets.mjs                       # CONCURRENCY=100 TOTAL=400 BURN_MS=50 KEEP_ALIVE=1
 *   CONCURRENCY=8 node bench/repro/workerd-resets.mjs         # few enough in flight: no resets
 *   KEEP_ALIVE=0 node bench/repro/workerd-resets.mjs          # a new connection per request: resets too
 *
 * Not a test: its numbers depend on the machine and its load. See docs/RELIABILITY.md, "Load".
 */
import http from "node:http";
import os from "node:os";
import { Miniflare } from "miniflare";

const CONCURRENCY = Number(process.env.CONCURRENCY ?? 100);
const TOTAL = Number(process.env.TOTAL ?? 400);
const BURN_MS = Number(process.env.BURN_MS ?? 50);
const KEEP_ALIVE = process.env.KEEP_ALIVE !== "0";

const script = `
let seen = 0;
export default {
  async fetch(request) {
    if (new URL(request.url).pathname === "/seen") return new Response(String(seen));
    await request.text();
    seen++;
    const end = Date.now() + ${BURN_MS};
    while (Date.now() < end) {} // synchronous CPU, like scrypt from node:crypto
    return new Response("ok");
  },
};`;

const mf = new Miniflare({ modules: true, script, compatibilityDate: "2026-07-01" });
const url = await mf.ready;
const agent = new http.Agent({ keepAlive: KEEP_ALIVE, maxSockets: CONCURRENCY });
const outcomes = {};
const note = (key) => {
  outcomes[key] = (outcomes[key] ?? 0) + 1;
};

function post(i) {
  return new Promise((resolve) => {
    const req = http.request(new URL("/", url), { method: "POST", agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(note(`status ${res.statusCode}`)));
      res.on("error", (e) => resolve(note(`response error ${e.code}`)));
    });
    req.on("error", (e) => resolve(note(`${e.code} (reused connection: ${req.reusedSocket})`)));
    req.end(JSON.stringify({ i }));
  });
}

const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    for (let i = next++; i < TOTAL; i = next++) await post(i);
  }),
);
const seconds = (performance.now() - started) / 1000;
agent.destroy();
const seen = await (await mf.dispatchFetch(new URL("/seen", url))).text();
await mf.dispose();
console.log(
  JSON.stringify({
    concurrency: CONCURRENCY,
    total: TOTAL,
    burnMs: BURN_MS,
    keepAlive: KEEP_ALIVE,
    seconds: Number(seconds.toFixed(1)),
    outcomes,
    workerSaw: Number(seen),
    loadAverage: os.loadavg().map((n) => n.toFixed(2)),
  }),
);
