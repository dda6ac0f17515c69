/** Starts, times, stops and destroys the programs under test (authform's and the peer's), on loopback. */
import { type ChildProcess, spawn } from "node:child_process";
import { readdir, readFile, rm, rmdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import {
  localD1Files,
  localDatabaseId,
  removeEmptyStateDir,
  removeFiles,
} from "../../src/provision/local-files.ts";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const BUN = path.join(ROOT, "node_modules", ".bin", "bun");
const SERVING = "Serving until Ctrl-C.";
const START_TIMEOUT_MS = 120_000;

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
  /** The Worker's script name (its bundle is under .alchemy/out/<workerName>/). */
  workerName: string;
}

export interface RunningProgram {
  spec: ProgramSpec;
  pid: number;
  /** Spawn → the serving line, in ms. */
  readyMs: number;
  /** Each output line with the ms since spawn it arrived at (ANSI colours stripped). */
  timeline: { ms: number; line: string }[];
  output(): string;
  stop(): Promise<void>;
}

const live = new Set<RunningProgram>();

/** The environment of a developer with no Cloudflare credentials (each program sets its own placeholders). */
export function localEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of [
    "CLOUDFLARE_API_TOKEN",
    "CLOUDFLARE_API_KEY",
    "CLOUDFLARE_ACCOUNT_ID",
    "STAGE",
    "DEBUG",
  ]) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Spawns the program in its own process group and resolves when it prints the serving line. */
export async function startProgram(spec: ProgramSpec): Promise<RunningProgram> {
  const started = performance.now();
  const child = spawn(BUN, [spec.script, "--stage", spec.stage, "--port", String(spec.port), ...spec.args], {
    cwd: ROOT,
    env: spec.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const timeline: RunningProgram["timeline"] = [];
  const record = (d: Buffer) => {
    output += d;
    const ms = performance.now() - started;
    for (const line of stripVTControlCharacters(String(d)).split("\n")) {
      if (line.trim()) timeline.push({ ms, line });
    }
  };
  child.stdout?.on("data", record);
  child.stderr?.on("data", record);
  const running: RunningProgram = {
    spec,
    pid: child.pid as number,
    readyMs: Number.NaN,
    timeline,
    output: () => output,
    stop: async () => {
      await stopChild(child);
      live.delete(running);
    },
  };
  live.add(running);
  try {
    await waitForServing(child, () => output);
  } catch (err) {
    await running.stop();
    throw err;
  }
  running.readyMs = performance.now() - started;
  return running;
}

function waitForServing(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`not serving within ${START_TIMEOUT_MS / 1000} s:\n${output()}`)),
      START_TIMEOUT_MS,
    );
    const check = () => {
      if (output().includes(SERVING)) {
        clearTimeout(timer);
        child.stdout?.off("data", check);
        child.off("exit", exited);
        resolve();
      }
    };
    const exited = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before serving:\n${output()}`));
    };
    child.stdout?.on("data", check);
    child.once("exit", exited);
  });
}

/** Ctrl-C to the whole group (the program and its workerd); SIGKILL if it lingers. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => signalGroup(child, "SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    signalGroup(child, "SIGINT");
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    child.kill(signal);
  }
}

/** Runs the program to completion with extra arguments (used for --destroy). */
export function runToEnd(
  spec: ProgramSpec,
  args: string[],
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(BUN, [spec.script, "--stage", spec.stage, ...spec.args, ...args], {
      cwd: ROOT,
      env: spec.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
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
