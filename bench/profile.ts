/**
 * Where get-session's time goes inside workerd (issue 22): `bun bench/profile.ts [--requests N]`.
 * Builds authform-full and the module-scope peer with their own programs, loads each captured bundle
 * into a fresh Miniflare on a migrated D1 with the V8 inspector on, signs one user up, then records a
 * CPU profile over N sequential get-sessions. Prints, per stack, self time by package and the
 * hottest functions (names and files through the bundle's source map when it has one).
 */
import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { inspector } from "../test/support/inspector.ts";
import { prepareD1 } from "./lib/cold-start.ts";
import { addProfile, type CpuProfile, emptyTotals, profileTables, sourceMaps } from "./lib/cpu-profile.ts";
import { cookieHeader, expectOk, postJson, timed } from "./lib/http.ts";
import { inspectedWorker } from "./lib/inspected-worker.ts";
import { destroyProgram, fullPrograms, type ProgramSpec, ROOT, stopAll } from "./lib/programs.ts";

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
        { email, password: "correct horse battery staple", name: "Profile" },
        { origin },
      ),
    );
    const cookie = cookieHeader(up.headers);
    const getSession = () => timed(base, "/auth/v1/get-session", { headers: { cookie } });
    for (let i = 0; i < 200; i++) expectOk(`${label} warm-up`, await getSession());

    const cdp = await inspector(inspectorPort);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
    await cdp.send("Profiler.start");
    const started = performance.now();
    for (let i = 0; i < requests; i++) {
      const r = await getSession();
      if (r.status !== 200 || !r.body.includes(email)) throw new Error(`${label}: get-session ${r.status}`);
    }
    const wallMs = performance.now() - started;
    const { profile } = await cdp.send<{ profile: CpuProfile }>("Profiler.stop");
    cdp.close();

    const totals = emptyTotals();
    addProfile(totals, profile, maps);
    return [
      `### ${label}: ${requests} sequential get-sessions, ${(wallMs / requests).toFixed(2)} ms each end to end`,
      "",
      `Samples cover ${(totals.total / requests).toFixed(3)} ms per request (idle included).`,
      "",
      ...profileTables(totals, requests, "request"),
    ].join("\n");
  } finally {
    await mf.dispose();
  }
}

async function main() {
  const requests = Number(option("--requests") ?? 2000);
  const runId = randomBytes(3).toString("hex");
  const tmp = path.join(os.tmpdir(), `authform-profile-${runId}`);
  const persist = path.join(tmp, "d1");
  await mkdir(persist, { recursive: true });
  await prepareD1(persist, path.join(ROOT, "migrations"));
  const [authform, peer] = await fullPrograms(`p${runId}`);
  const sections: string[] = [];
  try {
    for (const spec of [authform, peer]) {
      console.error(`profile ▸ ${spec.label}`);
      sections.push(await profileStack(spec.label, spec, tmp, persist, requests));
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
