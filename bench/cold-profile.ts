/**
 * Where a cold start's time goes (issue 22): `bun bench/cold-profile.ts [--rounds N] [--only LABEL]`.
 * Builds authform-full and the module-scope peer with their own programs, then per round and stack:
 * - times a cold start as `npm run bench` does (bench/lib/cold-start.ts: new workerd → ready → first 200);
 * - records a CPU profile of the FIRST request in a fresh workerd with the V8 inspector on;
 * - records a CPU profile of the script's evaluation: a fresh workerd whose entry imports the
 *   bundle's entry inside its first request (workerd evaluates the script before an inspector can
 *   attach, so this is the way to see it; the profile holds only the import).
 * Prints the cold-start medians and, per stack, both profiles as tables (ms per round); with
 * `--focus NAME [--depth D]`, also where the time under the frames named NAME goes.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { SourceMapConsumer } from "source-map-js";
import { inspector } from "../test/support/inspector.ts";
import type { BundleInfo } from "./lib/bundle.ts";
import { type ColdStartSample, coldStart, prepareD1 } from "./lib/cold-start.ts";
import {
  addCallees,
  addProfile,
  type CpuProfile,
  emptyTotals,
  type ProfileTotals,
  profileTables,
  sourceMaps,
} from "./lib/cpu-profile.ts";
import { inspectedMiniflare, programBundle } from "./lib/inspected-worker.ts";
import { destroyProgram, fullPrograms, ROOT, stopAll } from "./lib/programs.ts";
import { summarize } from "./lib/stats.ts";

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

interface Stack {
  label: string;
  bundle: BundleInfo;
  vars: Record<string, string>;
  maps: Map<string, SourceMapConsumer>;
  samples: ColdStartSample[];
  firstRequest: ProfileTotals;
  evaluation: ProfileTotals;
  /** With --focus: inclusive ms by call path below the focused function. */
  focused: Map<string, number>;
  /** D1 statements the first request ran (authform's x-authform-d1-queries, when the config counts them). */
  statements: number[];
}

/** `--focus NAME`: also print where the time under frames named NAME goes, this many calls deep. */
const focus = option("--focus");
const FOCUS_DEPTH = Number(option("--depth") ?? 3);

const IMPORTER = "cold-profile-importer.mjs";

/** Profiles one request into a fresh workerd running `bundle` (or the importer in front of it). */
async function profiledRequest(stack: Stack, persist: string, evaluate: boolean): Promise<void> {
  const importer = evaluate
    ? {
        name: IMPORTER,
        contents: `export default { async fetch() { await import("./${stack.bundle.entry}"); return new Response("imported"); } };\n`,
      }
    : undefined;
  const { mf, base, inspectorPort } = await inspectedMiniflare(stack.bundle, stack.vars, persist, importer);
  try {
    const cdp = await inspector(inspectorPort);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
    await cdp.send("Profiler.start");
    const url = `${stack.vars.BETTER_AUTH_URL ?? base}/auth/v1/get-session`;
    const response = await mf.dispatchFetch(url);
    await response.text();
    const { profile } = await cdp.send<{ profile: CpuProfile }>("Profiler.stop");
    cdp.close();
    if (response.status !== 200) throw new Error(`${stack.label}: ${response.status}`);
    const statements = response.headers.get("x-authform-d1-queries");
    if (!evaluate && statements !== null) stack.statements.push(Number(statements));
    addProfile(evaluate ? stack.evaluation : stack.firstRequest, profile, stack.maps);
    if (focus) addCallees(stack.focused, profile, stack.maps, focus, FOCUS_DEPTH);
  } finally {
    await mf.dispose();
  }
}

async function main() {
  const rounds = Number(option("--rounds") ?? 5);
  const only = option("--only");
  const runId = randomBytes(3).toString("hex");
  const tmp = path.join(os.tmpdir(), `authform-cold-profile-${runId}`);
  const persist = path.join(tmp, "d1");
  await mkdir(persist, { recursive: true });
  await prepareD1(persist, path.join(ROOT, "migrations"));
  const specs = (await fullPrograms(`c${runId}`)).filter((s) => !only || s.label === only);
  try {
    const stacks: Stack[] = [];
    for (const spec of specs) {
      console.error(`cold-profile ▸ building ${spec.label}`);
      const { bundle, vars } = await programBundle(spec, tmp);
      stacks.push({
        label: spec.label,
        bundle,
        vars,
        maps: await sourceMaps(bundle),
        samples: [],
        firstRequest: emptyTotals(),
        evaluation: emptyTotals(),
        focused: new Map(),
        statements: [],
      });
    }
    const secret = randomBytes(32).toString("hex");
    for (let round = 1; round <= rounds; round++) {
      console.error(`cold-profile ▸ round ${round} of ${rounds}`);
      // Alternate who goes first, so a burst of load lands on both alike.
      for (const stack of round % 2 === 0 ? [...stacks].reverse() : stacks) {
        const target = {
          label: stack.label,
          dir: stack.bundle.dir,
          files: stack.bundle.files,
          entry: stack.bundle.entry,
          vars: { ...stack.vars, BETTER_AUTH_SECRET: secret },
        };
        stack.samples.push(await coldStart(target, persist));
        await profiledRequest(stack, persist, false);
        await profiledRequest(stack, persist, true);
      }
    }
    const lines = [
      `Cold starts (bench/lib/cold-start.ts, ${rounds} per stack, interleaved; medians):`,
      "",
      "| stack | new workerd → ready (script loaded) | first request | total | second request |",
      "|---|---|---|---|---|",
    ];
    const median = (xs: number[]) => summarize(xs).median.toFixed(1);
    for (const s of stacks) {
      lines.push(
        `| ${s.label} | ${median(s.samples.map((x) => x.readyMs))} ms | ${median(s.samples.map((x) => x.firstRequestMs))} ms | ${median(s.samples.map((x) => x.totalMs))} ms | ${median(s.samples.map((x) => x.warmRequestMs))} ms |`,
      );
    }
    for (const s of stacks) {
      if (s.statements.length > 0)
        lines.push("", `${s.label}: D1 statements on the first request: ${s.statements.join(", ")}`);
    }
    lines.push("");
    for (const s of stacks) {
      lines.push(
        `### ${s.label}: the first request in a fresh workerd (profiled; ${(s.firstRequest.total / rounds).toFixed(1)} ms sampled per round)`,
        "",
        ...profileTables(s.firstRequest, rounds, "round"),
        `### ${s.label}: evaluating the script (imported in a first request; ${(s.evaluation.total / rounds).toFixed(1)} ms sampled per round)`,
        "",
        ...profileTables(s.evaluation, rounds, "round"),
      );
      if (focus) {
        lines.push(`### ${s.label}: under ${focus} (inclusive ms per round, by call path)`, "");
        for (const [trail, ms] of [...s.focused].sort((a, b) => b[1] - a[1]).slice(0, 60)) {
          if (ms / rounds >= 0.5) lines.push(`- ${(ms / rounds).toFixed(1)} ms: ${trail}`);
        }
        lines.push("");
      }
    }
    console.log(lines.join("\n"));
  } finally {
    await stopAll();
    for (const spec of specs) {
      for (const problem of await destroyProgram(spec)) console.error(`cold-profile ▸ cleanup: ${problem}`);
    }
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
