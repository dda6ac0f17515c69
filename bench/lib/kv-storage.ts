/**
 * Issue 10's benchmark: get-session with sessions in Workers KV vs in D1 only, in one run, and the D1
 * statements each authenticated request costs in each mode (counted by the Worker's instrumented
 * D1 binding, worker/db/d1-session.ts). Run alone: `npx bun bench/lib/kv-storage.ts [--quick]`.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cookieHeader, expectOk, postJson, type Timed, timed } from "./http.ts";
import { type LoadResult, load } from "./load.ts";
import { authformProgram, destroyProgram, type ProgramSpec, startProgram } from "./programs.ts";
import { ratio, type Summary, summarize } from "./stats.ts";

export type StorageMode = "kv" | "d1";

/** The requests whose D1 statements are counted, as a signed-in user makes them. */
const COUNTED = [
  { name: "get-session", path: "/auth/v1/get-session" },
  { name: "/api/v1/me (cookie)", path: "/api/v1/me" },
  { name: "list-sessions", path: "/auth/v1/list-sessions" },
] as const;

export interface StorageModeResult {
  mode: StorageMode;
  getSession: Summary;
  load?: LoadResult;
  /** D1 statements per request, by request name (the median over the samples: they do not vary). */
  d1Queries: Record<string, number>;
  /** D1 statements of one sign-in (a write path: KV adds no D1 work, and saves none). */
  signInQueries: number;
}

export interface KvStorageResult {
  samples: number;
  modes: StorageModeResult[];
  problems: string[];
}

export interface KvStorageSettings {
  /** Sequential get-session requests per mode (interleaved between modes). */
  samples: number;
  /** autocannon seconds per mode on get-session (0 = skip the load phase). */
  loadSeconds: number;
  connections: number;
}

const CONFIGS: Record<StorageMode, { app: string; config: string }> = {
  kv: { app: "bench-kv-on", config: "bench/configs/kv-on.config.ts" },
  d1: { app: "bench-kv-off", config: "bench/configs/kv-off.config.ts" },
};

async function specFor(mode: StorageMode, runId: string): Promise<ProgramSpec> {
  const { app, config } = CONFIGS[mode];
  return authformProgram({
    label: `authform-${mode === "kv" ? "kv" : "d1-only"}`,
    app,
    config,
    stage: `b${runId}-${mode}`,
  });
}

function d1Count(label: string, r: Timed): number {
  const value = r.headers.get("x-authform-d1-queries");
  if (value === null)
    throw new Error(`${label}: no x-authform-d1-queries header (is AUTHFORM_COUNT_D1_QUERIES set?)`);
  return Number(value);
}

async function signedIn(base: string, label: string): Promise<{ cookie: string; signInQueries: number }> {
  const user = { name: "Bench", email: `bench-${label}@example.com`, password: "correct horse battery" };
  expectOk(`${label} sign-up`, await postJson(base, "/auth/v1/sign-up/email", user));
  const signIn = expectOk(
    `${label} sign-in`,
    await postJson(base, "/auth/v1/sign-in/email", { email: user.email, password: user.password }),
  );
  return { cookie: cookieHeader(signIn.headers), signInQueries: d1Count(`${label} sign-in`, signIn) };
}

/** Starts a KV stack and a D1-only stack, measures both in one run, destroys both. */
export async function measureKvStorage(
  settings: KvStorageSettings,
  log: (line: string) => void = () => undefined,
): Promise<KvStorageResult> {
  const runId = randomBytes(3).toString("hex");
  const modes: StorageMode[] = ["kv", "d1"];
  const specs = await Promise.all(modes.map((m) => specFor(m, runId)));
  const problems: string[] = [];
  const running = [];
  try {
    for (const spec of specs) {
      log(`kv-storage: starting ${spec.label}`);
      running.push(await startProgram(spec));
    }
    const bases = specs.map((s) => `http://localhost:${s.port}`);
    const users = await Promise.all(bases.map((b, i) => signedIn(b, `${runId}-${modes[i]}`)));

    const counts = modes.map(() => ({}) as Record<string, number>);
    for (const [i, base] of bases.entries()) {
      for (const request of COUNTED) {
        const r = expectOk(
          `${modes[i]} ${request.name}`,
          await timed(base, request.path, { headers: { cookie: users[i]?.cookie ?? "" } }),
        );
        (counts[i] as Record<string, number>)[request.name] = d1Count(request.name, r);
      }
    }

    // Interleaved, so machine noise falls on both modes alike.
    log(`kv-storage: ${settings.samples} get-session samples per mode`);
    const samples: number[][] = modes.map(() => []);
    for (let n = 0; n < settings.samples; n++) {
      for (const [i, base] of bases.entries()) {
        const r = expectOk(
          `${modes[i]} get-session`,
          await timed(base, "/auth/v1/get-session", { headers: { cookie: users[i]?.cookie ?? "" } }),
        );
        samples[i]?.push(r.ms);
      }
    }
    const loads: (LoadResult | undefined)[] = [];
    for (const [i, base] of bases.entries()) {
      if (settings.loadSeconds <= 0) {
        loads.push(undefined);
        continue;
      }
      log(`kv-storage: load on ${modes[i]} get-session for ${settings.loadSeconds} s`);
      loads.push(
        await load(
          `${base}/auth/v1/get-session`,
          { cookie: users[i]?.cookie ?? "" },
          {
            connections: settings.connections,
            seconds: settings.loadSeconds,
          },
        ),
      );
    }
    return {
      samples: settings.samples,
      problems,
      modes: modes.map((mode, i) => ({
        mode,
        getSession: summarize(samples[i] ?? []),
        ...(loads[i] ? { load: loads[i] } : {}),
        d1Queries: counts[i] ?? {},
        signInQueries: users[i]?.signInQueries ?? Number.NaN,
      })),
    };
  } finally {
    await Promise.all(running.map((p) => p.stop()));
    for (const spec of specs) problems.push(...(await destroyProgram(spec)));
  }
}

const ms = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? "—" : n.toFixed(2));

/** The RESULTS.md section for this measure. */
export function renderKvStorage(
  result: KvStorageResult,
  peer?: { label: string; requestsPerSecond: number },
): string {
  const kv = result.modes.find((m) => m.mode === "kv");
  const d1 = result.modes.find((m) => m.mode === "d1");
  const label = (m: StorageModeResult) => (m.mode === "kv" ? "KV (defineStorage)" : "D1 only");
  const lines = [
    "## Sessions: Workers KV vs D1 only",
    "",
    `Two stacks in one run (email + password; one has \`defineStorage("cloudflare-kv")\`), ${result.samples} interleaved`,
    "get-session requests each, then load. D1 statements are counted by the Worker's instrumented D1 binding",
    "(`AUTHFORM_COUNT_D1_QUERIES`). Local workerd: KV and D1 are both SQLite on this disk, so the latency gap here",
    "understates the one on Cloudflare, where a D1 read crosses to the database's region and a KV hit is served",
    "from the colo's cache.",
    "",
    "| storage | get-session median ms | p99 ms | req/s (load) | ratio vs D1 only (median) |",
    "|---|---|---|---|---|",
    ...result.modes.map(
      (m) =>
        `| ${label(m)} | ${ms(m.getSession.median)} | ${ms(m.getSession.p99)} | ${m.load ? m.load.requestsPerSecond.toFixed(0) : "—"} | ${ms(ratio(m.getSession.median, d1?.getSession.median))} |`,
    ),
    "",
    "D1 statements per request (signed in by cookie):",
    "",
    `| request | ${result.modes.map(label).join(" | ")} |`,
    `|---|${result.modes.map(() => "---").join("|")}|`,
    ...[...COUNTED.map((c) => c.name), "sign-in"].map(
      (name) =>
        `| ${name} | ${result.modes.map((m) => (name === "sign-in" ? m.signInQueries : m.d1Queries[name])).join(" | ")} |`,
    ),
  ];
  if (kv?.load && peer) {
    const times = kv.load.requestsPerSecond / peer.requestsPerSecond;
    lines.push(
      "",
      `Target (issue 22): get-session with KV ≥ 3x the module-scope peer's throughput (${peer.label}, same plugins, measured earlier in this run): **${times.toFixed(2)}x** (${kv.load.requestsPerSecond.toFixed(0)} vs ${peer.requestsPerSecond.toFixed(0)} req/s) — **${times >= 3 ? "pass" : "fail"}**.`,
    );
  }
  if (kv && kv.d1Queries["get-session"] !== 0)
    lines.push(
      "",
      `**Target missed:** get-session with KV ran ${kv.d1Queries["get-session"]} D1 statements (target 0).`,
    );
  if (result.problems.length > 0) lines.push("", ...result.problems.map((p) => `- ${p}`));
  return lines.join("\n");
}

// Run directly (not imported by bench/run.ts): measure and print the section.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes("--quick");
  const result = await measureKvStorage(
    { samples: quick ? 20 : 200, loadSeconds: quick ? 2 : 6, connections: 10 },
    (line) => console.log(`bench ▸ ${line}`),
  );
  console.log(renderKvStorage(result));
}
