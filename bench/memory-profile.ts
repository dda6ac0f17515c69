/**
 * What workerd keeps per get-session (issue 22): `bun bench/memory-profile.ts [--requests N] [--rounds R]
 * [--connections C]`. Builds authform-full and the module-scope peer with their own programs, loads
 * each bundle into a fresh Miniflare with the V8 inspector on, signs one user up and warms up; then
 * R rounds of N get-sessions (C at a time). After each round it reads workerd's RSS and the V8 heap,
 * before and after a full GC (a heap snapshot's). Heap snapshots after the warm-up and
 * after the last round are compared by constructor: what grew is what requests leave behind.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { growth, heapSummary, totalBytes } from "../test/support/heap-snapshot.ts";
import { type Inspector, inspector } from "../test/support/inspector.ts";
import { prepareD1 } from "./lib/cold-start.ts";
import { cookieHeader, expectOk, postJson, timed } from "./lib/http.ts";
import { inspectedWorker } from "./lib/inspected-worker.ts";
import { workerdMemoryNow } from "./lib/memory.ts";
import { destroyProgram, fullPrograms, type ProgramSpec, ROOT, stopAll } from "./lib/programs.ts";

const MiB = 1024 * 1024;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

interface HeapUsage {
  usedSize: number;
  totalSize: number;
}

async function heapNow(cdp: Inspector) {
  const usage = await cdp.send<HeapUsage>("Runtime.getHeapUsage");
  const rss = await workerdMemoryNow(process.pid);
  return { usedMiB: usage.usedSize / MiB, totalMiB: usage.totalSize / MiB, ...rss };
}

/**
 * A full GC, then the heap by constructor. V8 collects garbage before every snapshot; workerd's
 * inspector never answers HeapProfiler.collectGarbage (V8 runs it as a task workerd does not pump).
 */
const collect = (cdp: Inspector, saveAs?: string) => heapSummary(cdp, saveAs);

async function measureStack(
  spec: ProgramSpec,
  tmp: string,
  persist: string,
  { requests, rounds, connections }: { requests: number; rounds: number; connections: number },
) {
  const label = spec.label;
  const { mf, base, origin, inspectorPort } = await inspectedWorker(spec, tmp, persist);
  try {
    const email = `memory-${randomBytes(4).toString("hex")}@example.com`;
    const up = expectOk(
      `${label} sign-up`,
      await postJson(
        base,
        "/auth/v1/sign-up/email",
        { email, password: "correct horse battery staple", name: "Memory" },
        { origin },
      ),
    );
    const cookie = cookieHeader(up.headers);
    const getSession = async () => {
      const r = await timed(base, "/auth/v1/get-session", { headers: { cookie } });
      if (r.status !== 200 || !r.body.includes(email)) throw new Error(`${label}: get-session ${r.status}`);
    };
    for (let i = 0; i < 200; i++) await getSession();

    console.error(`memory ▸ ${label}: warmed up, attaching`);
    const cdp = await inspector(inspectorPort);
    await cdp.send("Runtime.enable");
    const first = await collect(cdp);
    const start = await heapNow(cdp);
    console.error(`memory ▸ ${label}: heap ${start.usedMiB.toFixed(1)} MiB after GC`);
    let last = first;
    const lines = [
      `### ${label}: ${rounds} rounds of ${requests} get-sessions, ${connections} at a time`,
      "",
      "| after | requests | V8 heap used, before GC (MiB) | V8 heap used, after GC (MiB) | V8 heap reserved after GC (MiB) | workerd RSS before GC (MiB) | workerd RSS after GC (MiB) | workerd peak RSS (MiB) |",
      "|---|---|---|---|---|---|---|---|",
      `| warm-up | 200 | — | ${start.usedMiB.toFixed(1)} | ${start.totalMiB.toFixed(1)} | — | ${start.rssMiB.toFixed(0)} | ${start.peakMiB.toFixed(0)} |`,
    ];
    let served = 0;
    for (let round = 1; round <= rounds; round++) {
      let next = 0;
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (next < requests) {
            next++;
            await getSession();
          }
        }),
      );
      served += requests;
      console.error(`memory ▸ ${label}: ${served} requests`);
      const before = await heapNow(cdp);
      const keep = process.argv.includes("--save")
        ? path.join(process.cwd(), `${label}.heapsnapshot`)
        : undefined;
      last = await collect(cdp, round === rounds ? keep : undefined);
      const after = await heapNow(cdp);
      lines.push(
        `| round ${round} | ${served} | ${before.usedMiB.toFixed(1)} | ${after.usedMiB.toFixed(1)} | ${after.totalMiB.toFixed(1)} | ${before.rssMiB.toFixed(0)} | ${after.rssMiB.toFixed(0)} | ${after.peakMiB.toFixed(0)} |`,
      );
    }
    cdp.close();
    const grown = totalBytes(last) - totalBytes(first);
    lines.push(
      "",
      `Heap snapshots (live objects only): ${(totalBytes(first) / MiB).toFixed(1)} MiB after the warm-up, ` +
        `${(totalBytes(last) / MiB).toFixed(1)} MiB after ${served} more requests: ` +
        `${(grown / served).toFixed(0)} bytes kept per request.`,
      "",
      "| what grew (kind constructor) | objects | bytes |",
      "|---|---|---|",
      ...growth(first, last, 15).map(
        (row) => `| ${row.key.replaceAll("|", "\\|")} | ${row.count} | ${row.bytes} |`,
      ),
      "",
    );
    return lines.join("\n");
  } finally {
    await mf.dispose();
  }
}

async function main() {
  const settings = {
    requests: option("--requests", 2000),
    rounds: option("--rounds", 3),
    connections: option("--connections", 10),
  };
  const runId = randomBytes(3).toString("hex");
  const tmp = path.join(os.tmpdir(), `authform-memory-${runId}`);
  const persist = path.join(tmp, "d1");
  await mkdir(persist, { recursive: true });
  await prepareD1(persist, path.join(ROOT, "migrations"));
  const [authform, peer] = await fullPrograms(`m${runId}`);
  const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
  const specs = [authform, peer].filter((s) => !only || s.label === only);
  const sections: string[] = [];
  try {
    for (const spec of specs) {
      console.error(`memory ▸ ${spec.label}`);
      sections.push(await measureStack(spec, tmp, persist, settings));
    }
    console.log(sections.join("\n"));
  } finally {
    await stopAll();
    for (const spec of specs) {
      for (const problem of await destroyProgram(spec)) console.error(`memory ▸ cleanup: ${problem}`);
    }
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
