/**
 * `bun alchemy.run.ts` against the bare peer program: a first run on a fresh stage, then unchanged
 * re-runs, each program in turn per round. The last re-run of each stays up for the HTTP measures.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { type ProgramSpec, type RunningProgram, startProgram } from "./programs.ts";
import type { DeployTimes } from "./types.ts";

export interface Deployed {
  running: RunningProgram;
  deploy: DeployTimes;
}

function phases(p: RunningProgram): DeployTimes["rerunPhases"] {
  const at = (re: RegExp) => p.timeline.find((e) => re.test(e.line))?.ms ?? Number.NaN;
  return { alchemyMs: at(/^Alchemy\b/), workerReadyMs: at(/Ready at /), servingMs: p.readyMs };
}

export async function deployRounds(
  specs: ProgramSpec[],
  reruns: number,
  afterFirst: (spec: ProgramSpec, running: RunningProgram) => Promise<void>,
  log: (line: string) => void,
): Promise<Map<ProgramSpec, Deployed>> {
  const first = new Map<ProgramSpec, number>();
  for (const spec of specs) {
    const running = await startProgram(spec);
    first.set(spec, running.readyMs);
    log(`${spec.label}: first deploy ${(running.readyMs / 1000).toFixed(2)} s`);
    try {
      await afterFirst(spec, running);
    } finally {
      await running.stop();
    }
  }
  const rerunMs = new Map<ProgramSpec, number[]>(specs.map((s) => [s, []]));
  const rebuilt = new Map<ProgramSpec, boolean[]>(specs.map((s) => [s, []]));
  const deployed = new Map<ProgramSpec, Deployed>();
  for (let round = 1; round <= reruns; round++) {
    for (const spec of specs) {
      const before = await bundleWritten(spec);
      const running = await startProgram(spec);
      rerunMs.get(spec)?.push(running.readyMs);
      rebuilt.get(spec)?.push((await bundleWritten(spec)) !== before);
      log(`${spec.label}: re-run ${round} ${(running.readyMs / 1000).toFixed(2)} s`);
      if (round < reruns) {
        await running.stop();
        continue;
      }
      deployed.set(spec, {
        running,
        deploy: {
          firstMs: first.get(spec) as number,
          rerunMs: rerunMs.get(spec) as number[],
          rerunRebuilt: rebuilt.get(spec) as boolean[],
          rerunPhases: phases(running),
        },
      });
    }
  }
  return deployed;
}

/**
 * When Alchemy last bundled into the Worker's folder: it rewrites metafile.json after every esbuild
 * pass (esbuild itself may leave an unchanged worker.js alone).
 */
async function bundleWritten(spec: ProgramSpec): Promise<number | undefined> {
  const entry = await stat(path.join(spec.bundleDir, "metafile.json")).catch(() => undefined);
  return entry?.mtimeMs;
}
