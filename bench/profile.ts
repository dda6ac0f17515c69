/**
 * Where a route's time goes inside workerd (issue 22):
 * `bun bench/profile.ts [--requests N] [--flow get-session|sign-in]`.
 * Builds the two stacks with their own programs, loads each captured bundle into a fresh Miniflare
 * on a migrated D1 with the V8 inspector on, signs one user up, then records a CPU profile over N
 * sequential requests. get-session compares authform-full with the module-scope peer; sign-in
 * compares authform-free with peer-free (the same cheap scrypt, so the hash does not drown the
 * rest). Prints, per stack, self time by package and the hottest functions (names and files
 * through the bundle's source map when it has one).
 */
import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { inspector } from "../test/support/inspector.ts";
import { HASHING_PROFILES } from "../worker/auth/password-hashing.ts";
import { prepareD1 } from "./lib/cold-start.ts";
import { addProfile, type CpuProfile, emptyTotals, profileTables, sourceMaps } from "./lib/cpu-profile.ts";
import { cookieHeader, expectOk, postJson, timed } from "./lib/http.ts";
import { inspectedWorker } from "./lib/inspected-worker.ts";
import { writeDerivedPeer } from "./lib/plugin-set.ts";
import {
  authformProgram,
  destroyProgram,
  fullPrograms,
  type ProgramSpec,
  peerProgram,
  ROOT,
  stopAll,
} from "./lib/programs.ts";

type Flow = "get-session" | "sign-in";
const PASSWORD = "correct horse battery staple";

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

async function profileStack(
  label: string,
  spec: ProgramSpec,
  tmp: string,
  persist: string,
  requests: number,
  flow: Flow,
) {
  const { mf, base, origin, inspectorPort, bundle } = await inspectedWorker(spec, tmp, persist);
  const maps = await sourceMaps(bundle);
  try {
    const email = `profile-${randomBytes(4).toString("hex")}@example.com`;
    const up = expectOk(
      `${label} sign-up`,
      await postJson(
        base,
        "/auth/v1/sign-up/email",
        { email, password: PASSWORD, name: "Profile" },
        { origin },
      ),
    );
    const cookie = cookieHeader(up.headers);
    const getSession = () => timed(base, "/auth/v1/get-session", { headers: { cookie } });
    // Each sign-in comes from its own address (http.ts), so the per-IP limiter never turns one away.
    const signIn = () => postJson(base, "/auth/v1/sign-in/email", { email, password: PASSWORD }, { origin });
    const once = async () => {
      const r = flow === "sign-in" ? await signIn() : await getSession();
      if (r.status !== 200 || !r.body.includes(email)) throw new Error(`${label}: ${flow} ${r.status}`);
    };
    for (let i = 0; i < 200; i++) await once();

    const cdp = await inspector(inspectorPort);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
    await cdp.send("Profiler.start");
    const started = performance.now();
    for (let i = 0; i < requests; i++) await once();
    const wallMs = performance.now() - started;
    const { profile } = await cdp.send<{ profile: CpuProfile }>("Profiler.stop");
    cdp.close();

    const totals = emptyTotals();
    addProfile(totals, profile, maps);
    return [
      `### ${label}: ${requests} sequential ${flow}s, ${(wallMs / requests).toFixed(2)} ms each end to end`,
      "",
      `Samples cover ${(totals.total / requests).toFixed(3)} ms per request (idle included).`,
      "",
      ...profileTables(totals, requests, "request"),
    ].join("\n");
  } finally {
    await mf.dispose();
  }
}

/** authform-free and the minimal peer hashing as it does ("workers-free" scrypt through node:crypto). */
async function freePrograms(runId: string): Promise<[ProgramSpec, ProgramSpec]> {
  const entry = `bench/.tmp/profile-peer-free-${runId}.ts`;
  await mkdir(path.join(ROOT, "bench", ".tmp"), { recursive: true });
  await writeDerivedPeer(path.join(ROOT, entry), [], "module");
  const { N, r, p } = HASHING_PROFILES["workers-free"];
  return [
    await authformProgram({
      label: "authform-free",
      app: "bench-free",
      config: "bench/configs/minimal-free.config.ts",
      stage: `p${runId}-free`,
    }),
    await peerProgram({
      label: "peer-free",
      stage: `p${runId}-peer-free`,
      entry,
      extraArgs: ["--password-scrypt", `${N},${r},${p}`],
    }),
  ];
}

async function main() {
  const requests = Number(option("--requests") ?? 2000);
  const runId = randomBytes(3).toString("hex");
  const tmp = path.join(os.tmpdir(), `authform-profile-${runId}`);
  const persist = path.join(tmp, "d1");
  await mkdir(persist, { recursive: true });
  await prepareD1(persist, path.join(ROOT, "migrations"));
  const flow = (option("--flow") ?? "get-session") as Flow;
  if (flow !== "get-session" && flow !== "sign-in")
    throw new Error(`--flow: get-session or sign-in, not ${flow}`);
  const [authform, peer] =
    flow === "get-session" ? await fullPrograms(`p${runId}`) : await freePrograms(runId);
  const sections: string[] = [];
  try {
    for (const spec of [authform, peer]) {
      console.error(`profile ▸ ${spec.label}`);
      sections.push(await profileStack(spec.label, spec, tmp, persist, requests, flow));
    }
    console.log(sections.join("\n"));
  } finally {
    await stopAll();
    for (const spec of [authform, peer]) {
      for (const problem of await destroyProgram(spec)) console.error(`profile ▸ cleanup: ${problem}`);
    }
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
