/**
 * `npm run bench` (`bun bench/run.ts [--quick]`): authform's full and minimal stacks against a stock
 * Better Auth Worker, on local workerd, in one run; writes bench/RESULTS.md. Never a timed test.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config/load.ts";
import { PLUGIN_NAMES, type PluginName } from "../src/config/plugins.ts";
import { HASHING_PROFILES } from "../worker/auth/password-hashing.ts";
import { measureAccountSize } from "./lib/account-size.ts";
import { measureAdmissionCost, renderAdmissionCost } from "./lib/admission-cost.ts";
import { measureApiRoutes } from "./lib/api-routes.ts";
import { measureAuthFlows, rotations } from "./lib/auth-flows.ts";
import { captureBundle } from "./lib/bundle.ts";
import { measureClientSize } from "./lib/client-size.ts";
import { type ColdStartSample, type ColdStartTarget, coldStart, prepareD1 } from "./lib/cold-start.ts";
import { measureD1Statements } from "./lib/d1-statements.ts";
import { deployRounds } from "./lib/deploy-rounds.ts";
import { probeHashing } from "./lib/hash-probe.ts";
import { measureKvStorage, renderKvStorage } from "./lib/kv-storage.ts";
import { loadAverage, machineLine } from "./lib/machine.ts";
import { treeMemory } from "./lib/memory.ts";
import {
  PEER_ENTRIES,
  type PeerScope,
  runnablePlugins,
  writeDerivedConfig,
  writeDerivedPeer,
} from "./lib/plugin-set.ts";
import {
  authformProgram,
  destroyProgram,
  localEnv,
  type ProgramSpec,
  peerProgram,
  ROOT,
  stopAll,
  workerVars,
  writeOwnBundles,
} from "./lib/programs.ts";
import { renderResults } from "./lib/results.ts";
import type { RunResult, Settings, StackResult } from "./lib/types.ts";

const FULL_CONFIG = "bench/configs/full.config.ts";
const MINIMAL_CONFIG = "bench/configs/minimal.config.ts";
/** The minimal config with passwordHashing "workers-free": compared with peer-free (equal hashing) and peer-minimal. */
const FREE_CONFIG = "bench/configs/minimal-free.config.ts";
const PEER_PLUGINS: PluginName[] = [
  "emailOtp",
  "anonymous",
  "magicLink",
  "passkey",
  "jwt",
  "apiKey",
  "organization",
  "oauthProvider",
];

const FULL: Settings = {
  authSamples: 30,
  fastSamples: 200,
  connections: 10,
  loadSeconds: 6,
  loadRounds: 2,
  memoryRequests: 1500,
  coldStarts: 15,
  reruns: 3,
};
const QUICK: Settings = {
  authSamples: 5,
  fastSamples: 20,
  connections: 10,
  loadSeconds: 2,
  loadRounds: 1,
  memoryRequests: 200,
  coldStarts: 2,
  reruns: 1,
};

const log = (line: string) => console.log(`bench ▸ ${line}`);
let hashingOption: string | undefined;

function authformSpec(label: string, app: string, config: string, runId: string) {
  return authformProgram({
    label,
    app,
    config,
    stage: `b${runId}-${label.replace("authform-", "")}`,
    // Workers compared like for like: the peers' programs run behind Alchemy's dev proxy without
    // authform's local admission gate (one connection per request, 8 in flight); what the gate costs
    // is measured apart ("Local admission gate", bench/lib/admission-cost.ts).
    env: localEnv({ AUTHFORM_LOCAL_IN_FLIGHT: "0" }),
  });
}

async function configuredPlugins(config: string): Promise<PluginName[]> {
  const resolved = await loadConfig(path.join(ROOT, config));
  hashingOption ??= Object.keys(resolved.auth.emailAndPassword).find((k) => /hash/i.test(k));
  return PLUGIN_NAMES.filter((n) => resolved.auth.plugins[n] !== undefined);
}

async function main(): Promise<number> {
  const started = performance.now();
  const quick = process.argv.includes("--quick");
  const settings = quick ? QUICK : FULL;
  const runId = randomBytes(3).toString("hex");
  // Scratch (bundle copies, the cold-start D1) lives outside the repo, away from tsc and biome.
  const tmp = path.join(os.tmpdir(), `authform-bench-${runId}`);
  const notes: string[] = [];
  const machine = machineLine();
  const loadAtStart = loadAverage();
  log(machine);
  // First deploys are timed cold, as the peer's always are, and each stage then writes the bundle the
  // benchmark captures: a bundle another stage left in the shared cache would skip both.
  await writeOwnBundles();

  // The full stack runs the plugins whose runtime module exists; its peer runs the same set. The
  // minimal stack gets a peer of its own (email + password only), so each pair compares like with like.
  const derived: string[] = [];
  const wanted = await configuredPlugins(FULL_CONFIG);
  const { run: fullPlugins, missing } = await runnablePlugins(wanted);
  let fullConfig = FULL_CONFIG;
  if (missing.length > 0) {
    const left = wanted.filter((p) => !fullPlugins.includes(p));
    notes.push(
      fullPlugins.length === 0
        ? `No runtime module yet for ${missing.join(", ")} (worker/auth/plugins/): authform-full and peer-full were skipped.`
        : `No runtime module yet for ${missing.join(", ")} (worker/auth/plugins/): authform-full ran without ${left.join(", ")}, and peer-full with the same plugin set.`,
    );
    if (fullPlugins.length > 0) {
      fullConfig = `bench/.tmp/full-${runId}.config.ts`;
      await mkdir(path.join(ROOT, "bench", ".tmp"), { recursive: true });
      await writeDerivedConfig(path.join(ROOT, fullConfig), "bench-full", fullPlugins);
      derived.push(fullConfig);
    }
  }

  const peerSpec = async (
    label: string,
    plugins: PluginName[],
    scope: PeerScope,
    extraArgs: string[] = [],
  ): Promise<ProgramSpec> => {
    let entry = PEER_ENTRIES[scope];
    if (PEER_PLUGINS.some((p) => !plugins.includes(p))) {
      entry = `bench/.tmp/${label}-${runId}.ts`;
      await mkdir(path.join(ROOT, "bench", ".tmp"), { recursive: true });
      const written = await writeDerivedPeer(path.join(ROOT, entry), plugins, scope);
      derived.push(...written.map((file) => path.relative(ROOT, file)));
    }
    return peerProgram({ label, stage: `b${runId}-${label}`, entry, extraArgs });
  };

  const stacks: StackResult[] = [];
  if (fullPlugins.length > 0) {
    stacks.push(
      blank(await authformSpec("authform-full", "bench-full", fullConfig, runId), "authform", fullPlugins),
    );
    const peerPlugins = PEER_PLUGINS.filter((p) => fullPlugins.includes(p));
    stacks.push(blank(await peerSpec("peer-full", peerPlugins, "module"), "peer", peerPlugins));
    // The docs' per-request pattern, as a second column (issue 22).
    stacks.push(
      blank(await peerSpec("peer-full-per-request", peerPlugins, "per-request"), "peer", peerPlugins),
    );
  }
  const minimalPlugins = await configuredPlugins(MINIMAL_CONFIG);
  stacks.push(
    blank(
      await authformSpec("authform-minimal", "bench-min", MINIMAL_CONFIG, runId),
      "authform",
      minimalPlugins,
    ),
  );
  stacks.push(blank(await peerSpec("peer-minimal", [], "module"), "peer", []));
  stacks.push(
    blank(
      await authformSpec("authform-free", "bench-free", FREE_CONFIG, runId),
      "authform",
      await configuredPlugins(FREE_CONFIG),
    ),
  );
  // The minimal peer hashing as authform-free does, for the "beyond one hash, at equal hashing" targets.
  const { N, r, p } = HASHING_PROFILES["workers-free"];
  stacks.push(
    blank(await peerSpec("peer-free", [], "module", ["--password-scrypt", `${N},${r},${p}`]), "peer", []),
  );
  if (fullPlugins.includes("upgradeAnonymous")) {
    notes.push(
      "upgradeAnonymous is authform's own endpoint; Better Auth ships no equivalent, so peer-full runs the others.",
    );
  }
  const specs = stacks.map((s) => s.spec);
  const bySpec = new Map(stacks.map((s) => [s.spec, s]));
  const vars = new Map<ProgramSpec, Record<string, string>>();

  let cleaning: Promise<string[]> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await stopAll();
      const problems: string[] = [];
      for (const spec of specs) problems.push(...(await destroyProgram(spec)));
      await rm(tmp, { recursive: true, force: true });
      for (const file of derived) await rm(path.join(ROOT, file), { force: true });
      return problems;
    })());
  const interrupt = () => {
    log("interrupted: stopping stacks and destroying stages");
    void cleanup().finally(() => process.exit(130));
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);

  try {
    // 1. Deploys: first run, unchanged re-runs; bundles and vars captured while each stage exists.
    const deployed = await deployRounds(
      specs,
      settings.reruns,
      async (spec) => {
        const result = bySpec.get(spec) as StackResult;
        result.bundle = await captureBundle(spec.bundleDir, path.join(tmp, spec.label));
        vars.set(spec, await workerVars(spec));
      },
      log,
    );
    for (const [spec, d] of deployed) {
      const result = bySpec.get(spec) as StackResult;
      result.deploy = d.deploy;
      result.memoryIdle = await treeMemory(d.running.pid);
    }

    // 2. HTTP on all stacks at once, interleaved.
    const live = stacks.map((result) => ({ result, base: `http://localhost:${result.spec.port}` }));
    log("sign-up, sign-in, get-session");
    const creds = await measureAuthFlows(live, runId, settings, {
      beforeLoad: async () => {
        for (const [spec, d] of deployed)
          (bySpec.get(spec) as StackResult).memorySequential = await treeMemory(d.running.pid);
      },
      afterSameLoad: async (result) => {
        const d = deployed.get(result.spec);
        if (d) result.memorySameLoad = await treeMemory(d.running.pid);
      },
    });
    // The same work for every stack so far (the peers never get the /api/v1 loads that follow).
    for (const [spec, d] of deployed)
      (bySpec.get(spec) as StackResult).memoryGetSessionLoad = await treeMemory(d.running.pid);
    for (const { result, base } of live) {
      // authform-free runs the same Worker as authform-minimal: only its hashing differs.
      if (result.kind !== "authform" || result.spec.label === "authform-free") continue;
      log(`/api/v1 routes on ${result.spec.label}`);
      await measureApiRoutes(
        result,
        base,
        creds.get(result) as NonNullable<ReturnType<typeof creds.get>>,
        settings,
      );
      log(`D1 statements per route on ${result.spec.label}`);
      result.d1Statements = await measureD1Statements(base, result.plugins, result.spec.stage);
    }
    for (const [spec, d] of deployed)
      (bySpec.get(spec) as StackResult).memory = await treeMemory(d.running.pid);
    await stopAll();

    // 3. Cold starts and the hash probe, with the stacks stopped so the CPU is free.
    log("cold starts");
    const persist = path.join(tmp, "d1");
    await mkdir(persist, { recursive: true });
    await prepareD1(persist, path.join(ROOT, "migrations"));
    const secret = randomBytes(32).toString("hex");
    const targets: { samples: ColdStartSample[]; target: ColdStartTarget }[] = [];
    const baseline: ColdStartSample[] = [];
    targets.push({
      samples: baseline,
      target: { label: "baseline", vars: { BETTER_AUTH_URL: "http://localhost:8799" } },
    });
    for (const result of stacks) {
      if (!result.bundle) continue;
      const common = {
        files: result.bundle.files,
        entry: result.bundle.entry,
        vars: { ...vars.get(result.spec), BETTER_AUTH_SECRET: secret },
      };
      targets.push({
        samples: result.coldStart,
        target: { label: result.spec.label, dir: result.bundle.dir, ...common },
      });
      targets.push({
        samples: result.coldStartMinified,
        target: { label: `${result.spec.label} (minified)`, dir: result.bundle.minifiedDir, ...common },
      });
    }
    for (let i = 0; i < settings.coldStarts; i++) {
      for (const { samples, target } of rotations(targets, i)) samples.push(await coldStart(target, persist));
    }
    log("hash probe");
    const hashing = await probeHashing(quick ? 2 : 5);
    // Issue 10: get-session with Workers KV vs D1 only, on two stacks of its own.
    const kvStorage = await measureKvStorage(
      { samples: settings.fastSamples, loadSeconds: settings.loadSeconds, connections: settings.connections },
      log,
    );
    // Issue 26: the local admission gate on vs off, on two full-plugin stacks of its own.
    const admission =
      fullPlugins.length > 0
        ? await measureAdmissionCost(
            {
              config: fullConfig,
              signUps: settings.authSamples,
              samples: settings.fastSamples,
              connections: settings.connections,
              loadSeconds: settings.loadSeconds,
              loadRounds: settings.loadRounds,
            },
            log,
          )
        : undefined;
    if (!admission) notes.push("No runnable full plugin set: the admission gate's cost was not measured.");

    const run: RunResult = {
      date: new Date().toISOString(),
      command: `npm run bench${quick ? " -- --quick" : ""}   # = bun bench/run.ts${quick ? " --quick" : ""}`,
      machine,
      load: { start: loadAtStart, end: loadAverage() },
      settings,
      stacks,
      baselineColdStart: baseline,
      hashing,
      accountSize: await measureAccountSize(),
      clientSize: await measureClientSize(FULL_CONFIG),
      ...(hashingOption ? { hashingOption } : {}),
      notes,
      durationS: 0,
    };
    const problems = await cleanup();
    for (const p of problems) notes.push(`cleanup: ${p}`);
    run.durationS = (performance.now() - started) / 1000;
    // A quick run only checks the harness: its table goes under bench/.tmp/, never over RESULTS.md.
    const out = path.join(ROOT, "bench", ...(quick ? [".tmp", "RESULTS.quick.md"] : ["RESULTS.md"]));
    const sections = [
      renderResults(run),
      renderKvStorage(kvStorage, peerThroughput(stacks, "peer-minimal")),
      ...(admission ? [renderAdmissionCost(admission)] : []),
    ];
    await writeFile(out, `${sections.map((section) => section.trim()).join("\n\n")}\n`);
    log(`wrote ${path.relative(ROOT, out)} in ${run.durationS.toFixed(0)} s`);
    return problems.length > 0 ? 1 : 0;
  } finally {
    const problems = await cleanup();
    for (const p of problems) console.error(`bench ▸ cleanup: ${p}`);
  }
}

/** A peer's mean get-session throughput over its load rounds, for a target measured in another section. */
function peerThroughput(stacks: StackResult[], label: string) {
  const loads = stacks.find((s) => s.spec.label === label)?.getSessionLoad ?? [];
  if (loads.length === 0) return undefined;
  return { label, requestsPerSecond: loads.reduce((a, r) => a + r.requestsPerSecond, 0) / loads.length };
}

function blank(spec: ProgramSpec, kind: StackResult["kind"], plugins: string[]): StackResult {
  return { spec, kind, plugins, coldStart: [], coldStartMinified: [], getSessionLoad: [], api: {} };
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
