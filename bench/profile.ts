/**
 * Where get-session's time goes inside workerd (issue 22): `bun bench/profile.ts [--requests N]`.
 * Builds authform-full and the module-scope peer with their own programs, loads each captured bundle
 * into a fresh Miniflare on a migrated D1 with the V8 inspector on, signs one user up, then records a
 * CPU profile over N sequential get-sessions. Prints, per stack, self time by package and the
 * hottest functions (names and files through the bundle's source map when it has one).
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { SourceMapConsumer } from "source-map-js";
import { inspector } from "../test/support/inspector.ts";
import { prepareD1 } from "./lib/cold-start.ts";
import { cookieHeader, expectOk, postJson, timed } from "./lib/http.ts";
import { inspectedWorker } from "./lib/inspected-worker.ts";
import { destroyProgram, freePort, localEnv, type ProgramSpec, ROOT, stopAll } from "./lib/programs.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

/** Self time (ms) per node, from the sample stream. */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return self;
}

function packageOf(source: string): string {
  const parts = source.split("/");
  const at = parts.lastIndexOf("node_modules");
  if (at === -1) return source.includes("/worker/") || source.startsWith("worker/") ? "(own) worker" : source;
  const first = parts[at + 1] as string;
  // drizzle-orm's own source maps point one folder above the package (node_modules/src/…).
  if (first === "src") return "drizzle-orm";
  return first.startsWith("@") ? `${first}/${parts[at + 2]}` : first;
}

async function profileStack(
  label: string,
  spec: ProgramSpec,
  tmp: string,
  persist: string,
  requests: number,
) {
  const { mf, base, origin, inspectorPort, bundle } = await inspectedWorker(spec, tmp, persist);
  const maps = new Map<string, SourceMapConsumer>();
  for (const f of bundle.files) {
    const map = await readFile(path.join(bundle.dir, `${f}.map`), "utf8").catch(() => undefined);
    if (map) maps.set(f, new SourceMapConsumer(JSON.parse(map)));
  }
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

    const self = selfTimes(profile);
    const describe = (node: ProfileNode) => {
      const frame = node.callFrame;
      let where = frame.url ? path.basename(frame.url) : frame.functionName || "(native)";
      let name = frame.functionName || "(anonymous)";
      const map = maps.get(path.basename(frame.url));
      if (map) {
        const original = map.originalPositionFor({ line: frame.lineNumber + 1, column: frame.columnNumber });
        if (original.source) {
          where = `${original.source.replace(/^(\.\.\/)+/, "")}:${original.line}`;
          name = original.name ?? name;
        }
      } else if (frame.url) {
        where = `${path.basename(frame.url)}:${frame.lineNumber + 1}`;
      }
      const pkg = frame.url
        ? packageOf(where)
        : frame.functionName.startsWith("(")
          ? frame.functionName
          : "(V8 / runtime)";
      return { key: `${name} — ${where}`, pkg };
    };
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const byPackage = new Map<string, number>();
    const byFunction = new Map<string, number>();
    let total = 0;
    for (const node of profile.nodes) {
      const t = self.get(node.id) ?? 0;
      if (t === 0) continue;
      total += t;
      const { key, pkg } = describe(node);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + t);
      byFunction.set(key, (byFunction.get(key) ?? 0) + t);
    }
    // Inclusive time (self + callees) per function, counted once per call stack (recursion aside).
    const inclusive = new Map<string, number>();
    const walk = (id: number, open: Set<string>): number => {
      const node = byId.get(id) as ProfileNode;
      const { key } = describe(node);
      const nested = open.has(key);
      if (!nested) open.add(key);
      let t = self.get(id) ?? 0;
      for (const child of node.children ?? []) t += walk(child, open);
      if (!nested) {
        open.delete(key);
        inclusive.set(key, (inclusive.get(key) ?? 0) + t);
      }
      return t;
    };
    walk(profile.nodes[0]?.id as number, new Set());
    const rows = (m: Map<string, number>, n: number) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, v]) => `| ${k} | ${(v / requests).toFixed(3)} | ${((100 * v) / total).toFixed(1)}% |`);
    return [
      `### ${label}: ${requests} sequential get-sessions, ${(wallMs / requests).toFixed(2)} ms each end to end`,
      "",
      `Samples cover ${(total / requests).toFixed(3)} ms per request (idle included).`,
      "",
      "| package | ms per request | share |",
      "|---|---|---|",
      ...rows(byPackage, 12),
      "",
      "| function — where | ms per request | share |",
      "|---|---|---|",
      ...rows(byFunction, 20),
      "",
      "Inclusive (the function and what it calls):",
      "",
      "| function — where | ms per request | share |",
      "|---|---|---|",
      ...rows(inclusive, 30),
      "",
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
  const authform: ProgramSpec = {
    label: "authform-full",
    app: "bench-full",
    stage: `p${runId}-full`,
    port: await freePort(),
    script: "alchemy.run.ts",
    args: ["--config", "bench/configs/full.config.ts"],
    env: localEnv(),
    workerName: `bench-full-p${runId}-full`,
    bundleDir: path.join(ROOT, ".authform", "generated", `p${runId}-full`, "bundle"),
  };
  const peer: ProgramSpec = {
    label: "peer-full",
    app: "bench-peer",
    stage: `p${runId}-peer`,
    port: await freePort(),
    script: "bench/peer/alchemy.run.ts",
    args: ["--entry", "bench/peer/worker.ts"],
    env: localEnv({ BETTER_AUTH_SECRET: randomBytes(32).toString("hex") }),
    workerName: `bench-peer-p${runId}-peer`,
    bundleDir: path.join(ROOT, ".alchemy", "out", `bench-peer-p${runId}-peer`),
  };
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
