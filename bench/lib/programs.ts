/** Starts, times, stops and destroys the programs under test (authform's and the peer's), on loopback. */
import { randomBytes } from "node:crypto";
import { readdir, readFile, rm, rmdir } from "node:fs/promises";
import path from "node:path";
import {
  localD1Files,
  localDatabaseId,
  removeEmptyStateDir,
  removeFiles,
} from "../../src/provision/local-files.ts";
import { sharedBundleDir } from "../../src/provision/shared-bundle-cache.ts";
import {
  BUN,
  freePort,
  localEnv,
  ROOT,
  runToCompletion,
  type ServingProgram,
  startServing,
} from "../../test/support/program-process.ts";

export { BUN, freePort, localEnv, ROOT };

export interface ProgramSpec {
  /** What the tables call it: authform-full, authform-minimal, peer. */
  label: string;
  /** Alchemy app name (the state folder under .alchemy/). */
  app: string;
  stage: string;
  port: number;
  /** The program file, relative to the repo root. */
  script: string;
  /** Arguments every invocation gets (e.g. --config). */
  args: string[];
  env: NodeJS.ProcessEnv;
  /** The Worker's script name (Alchemy's default bundle folder is .alchemy/out/<workerName>/). */
  workerName: string;
  /** Where the bundle the Worker runs is written (authform bundles into its stage's generated folder). */
  bundleDir: string;
}

/** An authform stage of `config` (its own program, alchemy.run.ts). */
export async function authformProgram(options: {
  label: string;
  /** The config's app name (Alchemy's state folder). */
  app: string;
  config: string;
  stage: string;
  env?: NodeJS.ProcessEnv;
}): Promise<ProgramSpec> {
  const { label, app, config, stage } = options;
  return {
    label,
    app,
    stage,
    port: await freePort(),
    script: "alchemy.run.ts",
    args: ["--config", config],
    env: options.env ?? localEnv(),
    workerName: `${app}-${stage}`,
    // Local runs bundle next to the generated entry (src/provision/bundle-cache.ts), unless the
    // stage reused a shared bundle: see writeOwnBundles.
    bundleDir: path.join(ROOT, ".authform", "generated", stage, "bundle"),
  };
}

/** A stock Better Auth peer stage (bench/peer/alchemy.run.ts) running `entry`. */
export async function peerProgram(options: {
  label: string;
  stage: string;
  entry?: string;
  /** More arguments for bench/peer/alchemy.run.ts (`--password-scrypt N,r,p` for peer-free). */
  extraArgs?: string[];
}): Promise<ProgramSpec> {
  const { label, stage } = options;
  const workerName = `bench-peer-${stage}`;
  return {
    label,
    app: "bench-peer",
    stage,
    port: await freePort(),
    script: "bench/peer/alchemy.run.ts",
    args: [...(options.entry ? ["--entry", options.entry] : []), ...(options.extraArgs ?? [])],
    env: localEnv({ BETTER_AUTH_SECRET: randomBytes(32).toString("hex") }),
    workerName,
    bundleDir: path.join(ROOT, ".alchemy", "out", workerName),
  };
}

/** authform-full and the module-scope peer, as bench/profile.ts and bench/memory-profile.ts compare them. */
export async function fullPrograms(stagePrefix: string): Promise<[ProgramSpec, ProgramSpec]> {
  return [
    await authformProgram({
      label: "authform-full",
      app: "bench-full",
      config: "bench/configs/full.config.ts",
      stage: `${stagePrefix}-full`,
    }),
    await peerProgram({ label: "peer-full", stage: `${stagePrefix}-peer`, entry: "bench/peer/worker.ts" }),
  ];
}

/**
 * Makes the next authform stages bundle for themselves. A new local stage whose sources match a
 * bundle another stage published (.authform/bundle-cache/, src/provision/shared-bundle-cache.ts)
 * hands that script to Alchemy and skips esbuild: nothing is written to its bundleDir, no metafile,
 * no source map, so there is nothing to capture, and its first deploy is not timed cold.
 */
export async function writeOwnBundles(): Promise<void> {
  await rm(sharedBundleDir(ROOT), { recursive: true, force: true });
}

export interface RunningProgram extends ServingProgram {
  spec: ProgramSpec;
}

const live = new Set<RunningProgram>();

/** Spawns the program in its own process group and resolves when it prints the serving line. */
export async function startProgram(spec: ProgramSpec): Promise<RunningProgram> {
  const command = [BUN, spec.script, "--stage", spec.stage, "--port", String(spec.port), ...spec.args];
  const program = await startServing(command, { env: spec.env });
  const running: RunningProgram = {
    ...program,
    spec,
    stop: async () => {
      await program.stop();
      live.delete(running);
    },
  };
  live.add(running);
  return running;
}

/** Runs the program to completion with extra arguments (used for --destroy). */
export function runToEnd(
  spec: ProgramSpec,
  args: string[],
): Promise<{ code: number | null; output: string }> {
  return runToCompletion([BUN, spec.script, "--stage", spec.stage, ...spec.args, ...args], {
    env: spec.env,
    timeoutMs: 60_000,
  });
}

/**
 * Destroys a stage and removes what Alchemy's local destroy leaves behind (the D1 file, empty state
 * folders, the bundle folder). Returns the problems it saw; an empty list means nothing is left.
 */
export async function destroyProgram(spec: ProgramSpec): Promise<string[]> {
  const problems: string[] = [];
  const databaseId = await localDatabaseId(ROOT, spec.app, spec.stage);
  const result = await runToEnd(spec, ["--destroy"]);
  if (result.code !== 0)
    problems.push(`${spec.label}: --destroy exited ${result.code}: ${result.output.trim()}`);
  if (databaseId) await removeFiles(await localD1Files(ROOT, databaseId));
  await removeEmptyStateDir(ROOT, spec.app, spec.stage);
  await rmdir(path.join(ROOT, ".alchemy", spec.app)).catch(() => undefined);
  await rm(path.join(ROOT, ".alchemy", "out", spec.workerName), { recursive: true, force: true });
  const left = await readdir(path.join(ROOT, ".alchemy", spec.app, spec.stage)).catch(() => []);
  if (left.length > 0)
    problems.push(`${spec.label}: state left in .alchemy/${spec.app}/${spec.stage}: ${left}`);
  return problems;
}

/** Stops every program still running (used by finally blocks and the SIGINT handler). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
}

/** The Worker's plain vars as the program declared them (from Alchemy's state; secrets stay encrypted there). */
export async function workerVars(spec: ProgramSpec): Promise<Record<string, string>> {
  const file = path.join(ROOT, ".alchemy", spec.app, spec.stage, "worker.json");
  const state = JSON.parse(await readFile(file, "utf8")) as {
    props?: { bindings?: Record<string, unknown> };
  };
  return Object.fromEntries(
    Object.entries(state.props?.bindings ?? {}).filter(
      (e): e is [string, string] => typeof e[1] === "string",
    ),
  );
}
