/**
 * `bun bench/admission-cost.ts`: what the local admission gate (src/provision/local-admission.ts)
 * costs. Two full-plugin local stacks, one with the gate (default) and one without
 * (`AUTHFORM_LOCAL_IN_FLIGHT=0`); sequential requests interleaved one by one, then get-session load
 * at 10 connections, alternating. Prints a Markdown table; not a timed test.
 */
import { randomBytes } from "node:crypto";
import { postJson, timed } from "./lib/http.ts";
import { load } from "./lib/load.ts";
import { loadAverage } from "./lib/machine.ts";
import {
  destroyProgram,
  freePort,
  localEnv,
  type ProgramSpec,
  ROOT,
  type RunningProgram,
  startProgram,
  stopAll,
} from "./lib/programs.ts";
import { summarize } from "./lib/stats.ts";

const SEQUENTIAL = 200;
const SIGN_UPS = 20;
const LOAD_ROUNDS = 2;
const LOAD_SECONDS = 6;

async function spec(label: string, inFlight: string): Promise<ProgramSpec> {
  const stage = `bgate-${label}-${randomBytes(2).toString("hex")}`;
  return {
    label,
    app: "bench-full",
    stage,
    port: await freePort(),
    script: "alchemy.run.ts",
    args: ["--config", "bench/configs/full.config.ts"],
    env: localEnv({ AUTHFORM_LOCAL_IN_FLIGHT: inFlight }),
    workerName: `bench-full-${stage}`,
    bundleDir: `${ROOT}/.authform/generated/${stage}`,
  };
}

const url = (p: RunningProgram) => `http://localhost:${p.spec.port}`;

async function signUp(p: RunningProgram, i: number) {
  const email = `gate-${i}-${randomBytes(4).toString("hex")}@example.com`;
  const r = await postJson(url(p), "/auth/v1/sign-up/email", {
    email,
    password: "correct horse battery",
    name: "G",
  });
  if (r.status !== 200) throw new Error(`${p.spec.label} sign-up: ${r.status} ${r.body.slice(0, 200)}`);
  return r;
}

const loadAtStart = loadAverage();
const specs = [await spec("on", ""), await spec("off", "0")];
const programs: RunningProgram[] = [];
try {
  for (const s of specs) programs.push(await startProgram(s));
  const cookies = new Map<RunningProgram, string>();
  const signUpMs = new Map<RunningProgram, number[]>(programs.map((p) => [p, []]));
  const sessionMs = new Map<RunningProgram, number[]>(programs.map((p) => [p, []]));
  const rps = new Map<RunningProgram, number[]>(programs.map((p) => [p, []]));
  const failures = new Map<RunningProgram, number>(programs.map((p) => [p, 0]));
  for (let i = 0; i < SIGN_UPS; i++) {
    for (const p of programs) {
      const r = await signUp(p, i);
      signUpMs.get(p)?.push(r.ms);
      const cookie = r.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      cookies.set(p, cookie);
    }
  }
  for (let i = 0; i < SEQUENTIAL; i++) {
    for (const p of programs) {
      const r = await timed(url(p), "/auth/v1/get-session", { headers: { cookie: cookies.get(p) ?? "" } });
      if (r.status !== 200) throw new Error(`${p.spec.label} get-session: ${r.status}`);
      sessionMs.get(p)?.push(r.ms);
    }
  }
  for (let round = 0; round < LOAD_ROUNDS; round++) {
    const order = round % 2 === 0 ? programs : [...programs].reverse();
    for (const p of order) {
      const r = await load(
        `${url(p)}/auth/v1/get-session`,
        { cookie: cookies.get(p) ?? "" },
        {
          connections: 10,
          seconds: LOAD_SECONDS,
        },
      );
      rps.get(p)?.push(r.requestsPerSecond);
      failures.set(p, (failures.get(p) ?? 0) + r.failures);
    }
  }
  const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(2));
  console.log(`load average ${loadAtStart} at the start, ${loadAverage()} at the end\n`);
  console.log(
    "| stack | sign-up c=1 median / p99 ms | get-session c=1 median / p99 ms | get-session c=10 req/s (each round) | failures |",
  );
  console.log("|---|---|---|---|---|");
  for (const p of programs) {
    const su = summarize(signUpMs.get(p) ?? []);
    const gs = summarize(sessionMs.get(p) ?? []);
    console.log(
      `| ${p.spec.label} | ${fmt(su.median)} / ${fmt(su.p99)} | ${fmt(gs.median)} / ${fmt(gs.p99)} | ${(rps.get(p) ?? []).map(fmt).join(", ")} | ${failures.get(p)} |`,
    );
  }
} finally {
  await stopAll();
  for (const s of specs) await destroyProgram(s);
}
