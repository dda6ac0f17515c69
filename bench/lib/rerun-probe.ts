/**
 * `bun bench/lib/rerun-probe.ts [rounds] [--config PATH]`: only the unchanged-re-run measure of the
 * bench (authform-full against the bare peer program), interleaved, with medians and their ratio.
 * For iterating on start-up cost without the full bench; destroys both stages at the end.
 */
import { randomBytes } from "node:crypto";
import {
  authformProgram,
  destroyProgram,
  type ProgramSpec,
  peerProgram,
  startProgram,
  stopAll,
} from "./programs.ts";
import { summarize } from "./stats.ts";

const args = process.argv.slice(2);
const configAt = args.indexOf("--config");
const config = configAt === -1 ? "bench/configs/full.config.ts" : (args[configAt + 1] as string);
const rounds = Number(args.find((a: string) => /^\d+$/.test(a)) ?? 7);
const runId = randomBytes(3).toString("hex");

async function specs(): Promise<ProgramSpec[]> {
  return [
    await authformProgram({ label: "authform", app: "bench-full", config, stage: `p${runId}-full` }),
    await peerProgram({ label: "peer", stage: `p${runId}-peer` }),
  ];
}

/** ms since spawn of the first output line matching `re` (NaN when it never came). */
function at(timeline: { ms: number; line: string }[], re: RegExp): number {
  return timeline.find((e) => re.test(e.line))?.ms ?? Number.NaN;
}

async function main(): Promise<void> {
  const all = await specs();
  const samples = new Map<string, { serving: number[]; alchemy: number[]; ready: number[] }>(
    all.map((s) => [s.label, { serving: [], alchemy: [], ready: [] }]),
  );
  try {
    for (const spec of all) await (await startProgram(spec)).stop();
    for (let round = 1; round <= rounds; round++) {
      // Alternate who goes first, so a burst of load lands on both alike.
      const order = round % 2 === 0 ? [...all].reverse() : all;
      for (const spec of order) {
        const running = await startProgram(spec);
        await running.stop();
        const s = samples.get(spec.label);
        s?.serving.push(running.readyMs);
        s?.alchemy.push(at(running.timeline, /^Alchemy\b/));
        s?.ready.push(at(running.timeline, /Ready at /));
        if (process.env.PROBE_TIMELINE && spec.label === "authform" && round === rounds)
          for (const e of running.timeline) console.log(`  ${e.ms.toFixed(0).padStart(5)} ms  ${e.line}`);
      }
      console.log(
        `round ${round}: ${all.map((s) => `${s.label} ${samples.get(s.label)?.serving.at(-1)?.toFixed(0)} ms`).join(", ")}`,
      );
    }
  } finally {
    await stopAll();
    for (const spec of all) for (const problem of await destroyProgram(spec)) console.error(problem);
  }
  const med = (xs: number[]) => summarize(xs).median;
  for (const [label, s] of samples)
    console.log(
      `${label.padEnd(9)} serving ${med(s.serving).toFixed(0)} ms (min ${summarize(s.serving).min.toFixed(0)}), Alchemy ${med(s.alchemy).toFixed(0)} ms, Worker ready ${med(s.ready).toFixed(0)} ms`,
    );
  const a = samples.get("authform")?.serving ?? [];
  const p = samples.get("peer")?.serving ?? [];
  console.log(`ratio of medians ${(med(a) / med(p)).toFixed(3)}x`);
  // Per-round ratios: each pair ran back to back, so machine load mostly cancels.
  const perRound = a.map((x, i) => x / (p[i] as number));
  console.log(`median of per-round ratios ${med(perRound).toFixed(3)}x`);
}

await main();
