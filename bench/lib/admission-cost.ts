/**
 * Issue 26's benchmark: what the local admission gate (src/provision/local-admission.ts) costs. Two
 * full-plugin local stacks in one run, the gate on (the default limit) and off
 * (`AUTHFORM_LOCAL_IN_FLIGHT=0`, the baseline): sign-ups and get-session one at a time, interleaved
 * request by request, then get-session under autocannon, rounds alternating which stack goes first.
 * Part of `npm run bench`; run alone: `npx bun bench/lib/admission-cost.ts [--quick]` (prints the section).
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LOCAL_IN_FLIGHT_LIMIT } from "../../src/provision/local-admission.ts";
import { cookieHeader, expectOk, postJson, timed } from "./http.ts";
import { type LoadResult, load } from "./load.ts";
import {
  authformProgram,
  destroyProgram,
  localEnv,
  type ProgramSpec,
  type RunningProgram,
  startProgram,
} from "./programs.ts";
import { ratio, type Summary, summarize } from "./stats.ts";

export interface AdmissionCostSettings {
  /** The full-plugin config both stacks run (bench/run.ts may pass a derived one). */
  config: string;
  /** Sequential sign-ups per stack (interleaved between stacks). */
  signUps: number;
  /** Sequential get-session requests per stack (interleaved). */
  samples: number;
  connections: number;
  loadSeconds: number;
  loadRounds: number;
}

export interface GateResult {
  /** In-flight limit; 0 = no gate (the baseline). */
  limit: number;
  signUp: Summary;
  getSession: Summary;
  loads: LoadResult[];
}

export interface AdmissionCostResult {
  settings: AdmissionCostSettings;
  on: GateResult;
  off: GateResult;
  problems: string[];
}

async function specFor(label: "on" | "off", config: string, runId: string): Promise<ProgramSpec> {
  return authformProgram({
    label: `gate ${label}`,
    app: "bench-full", // the name in the full config (the derived one keeps it)
    config,
    stage: `b${runId}-gate-${label}`,
    env: localEnv({ AUTHFORM_LOCAL_IN_FLIGHT: label === "on" ? "" : "0" }),
  });
}

/** Starts the two stacks, measures both in one run, destroys both. */
export async function measureAdmissionCost(
  settings: AdmissionCostSettings,
  log: (line: string) => void = () => undefined,
): Promise<AdmissionCostResult> {
  const runId = randomBytes(3).toString("hex");
  const specs = [await specFor("on", settings.config, runId), await specFor("off", settings.config, runId)];
  const problems: string[] = [];
  const running: RunningProgram[] = [];
  try {
    for (const spec of specs) {
      log(`admission gate: starting ${spec.label}`);
      running.push(await startProgram(spec));
    }
    const bases = specs.map((s) => `http://localhost:${s.port}`);
    const signUpMs: number[][] = bases.map(() => []);
    const sessionMs: number[][] = bases.map(() => []);
    const loads: LoadResult[][] = bases.map(() => []);
    const cookies: string[] = bases.map(() => "");

    log(`admission gate: ${settings.signUps} sign-ups and ${settings.samples} get-session per stack`);
    for (let n = 0; n < settings.signUps; n++) {
      for (const [i, base] of bases.entries()) {
        const email = `gate-${n}-${randomBytes(4).toString("hex")}@example.com`;
        const r = expectOk(
          `${specs[i]?.label} sign-up`,
          await postJson(base, "/auth/v1/sign-up/email", {
            email,
            password: "correct horse battery",
            name: "G",
          }),
        );
        signUpMs[i]?.push(r.ms);
        cookies[i] = cookieHeader(r.headers);
      }
    }
    for (let n = 0; n < settings.samples; n++) {
      for (const [i, base] of bases.entries()) {
        const r = expectOk(
          `${specs[i]?.label} get-session`,
          await timed(base, "/auth/v1/get-session", { headers: { cookie: cookies[i] ?? "" } }),
        );
        sessionMs[i]?.push(r.ms);
      }
    }
    for (let round = 0; round < settings.loadRounds; round++) {
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) {
        log(`admission gate: load on ${specs[i]?.label} for ${settings.loadSeconds} s`);
        (loads[i] as LoadResult[]).push(
          await load(
            `${bases[i]}/auth/v1/get-session`,
            { cookie: cookies[i] ?? "" },
            { connections: settings.connections, seconds: settings.loadSeconds },
          ),
        );
      }
    }
    const result = (i: number, limit: number): GateResult => ({
      limit,
      signUp: summarize(signUpMs[i] ?? []),
      getSession: summarize(sessionMs[i] ?? []),
      loads: loads[i] ?? [],
    });
    return { settings, on: result(0, LOCAL_IN_FLIGHT_LIMIT), off: result(1, 0), problems };
  } finally {
    await Promise.all(running.map((p) => p.stop()));
    for (const spec of specs) problems.push(...(await destroyProgram(spec)));
  }
}

const ms = (n: number | undefined) =>
  n === undefined || !Number.isFinite(n)
    ? "—"
    : n >= 100
      ? n.toFixed(0)
      : n >= 10
        ? n.toFixed(1)
        : n.toFixed(2);
const x = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}x` : "—");
const meanRps = (g: GateResult) =>
  g.loads.length === 0 ? Number.NaN : g.loads.reduce((a, l) => a + l.requestsPerSecond, 0) / g.loads.length;
const rounds = (g: GateResult) =>
  g.loads.length === 0
    ? "—"
    : `${ms(meanRps(g))} (${g.loads.map((l) => l.requestsPerSecond.toFixed(0)).join(", ")})`;
const failures = (g: GateResult) => g.loads.reduce((a, l) => a + l.failures, 0);

/** The RESULTS.md section for this measure. */
export function renderAdmissionCost(result: AdmissionCostResult): string {
  const { on, off, settings: s } = result;
  const lines = [
    "## Local admission gate: what it costs (issue 26)",
    "",
    `Two full-plugin local stacks in one run: the gate on (at most ${on.limit} requests in workerd at once) and off`,
    "(`AUTHFORM_LOCAL_IN_FLIGHT=0`, the baseline). " +
      `${s.signUps} sign-ups and ${s.samples} get-session requests each, interleaved one by one, then get-session under`,
    `autocannon at ${s.connections} connections × ${s.loadSeconds} s × ${s.loadRounds} rounds, alternating which stack goes first.`,
    "A ratio is gate on ÷ gate off (below 1 is better, except for throughput). Target: latency at c=1 and throughput",
    `at c=${s.connections} no worse than the baseline beyond noise. Also run alone: \`npx bun bench/lib/admission-cost.ts [--quick]\`.`,
    "",
    "| measure | gate on | gate off | ratio on ÷ off |",
    "|---|---|---|---|",
    `| sign-up, c=1 (median / p99 ms) | ${ms(on.signUp.median)} / ${ms(on.signUp.p99)} | ${ms(off.signUp.median)} / ${ms(off.signUp.p99)} | ${x(ratio(on.signUp.median, off.signUp.median))} |`,
    `| get-session, c=1 (median / p99 ms) | ${ms(on.getSession.median)} / ${ms(on.getSession.p99)} | ${ms(off.getSession.median)} / ${ms(off.getSession.p99)} | ${x(ratio(on.getSession.median, off.getSession.median))} |`,
    `| get-session throughput, c=${s.connections} (req/s, mean (each round); higher is better) | ${rounds(on)} | ${rounds(off)} | ${x(ratio(meanRps(on), meanRps(off)))} |`,
    `| failures under load (non-2xx, errors, timeouts) | ${failures(on)} | ${failures(off)} | — |`,
  ];
  if (result.problems.length > 0) lines.push("", ...result.problems.map((p) => `- ${p}`));
  return lines.join("\n");
}

// Run directly (not imported by bench/run.ts): measure and print the section.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes("--quick");
  const result = await measureAdmissionCost(
    {
      config: "bench/configs/full.config.ts",
      signUps: quick ? 5 : 30,
      samples: quick ? 20 : 200,
      connections: 10,
      loadSeconds: quick ? 2 : 6,
      loadRounds: quick ? 1 : 2,
    },
    (line) => console.log(`bench ▸ ${line}`),
  );
  console.log(renderAdmissionCost(result));
}
