/** Runs the real `bun alchemy.run.ts` for tests: one local stack per test file, on workerd with D1. */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import type { StackOutputs } from "../../src/cli/outputs.ts";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
const BUN = path.join(ROOT, "node_modules", ".bin", "bun");

/** A stage name no other test run uses. */
export function uniqueStage(label: string): string {
  return `t-${label}-${randomBytes(3).toString("hex")}`;
}

/** The environment of a developer with no Cloudflare credentials. */
export function localEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of [
    "CLOUDFLARE_API_TOKEN",
    "CLOUDFLARE_API_KEY",
    "CLOUDFLARE_ACCOUNT_ID",
    "ALCHEMY_PASSWORD",
    "STAGE",
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

export interface RunResult {
  code: number | null;
  output: string;
}

/** Runs the program to completion (for --plan, --destroy, bad configs). */
export function runProgram(args: string[], env = localEnv()): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(BUN, ["alchemy.run.ts", ...args], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ code, output }));
  });
}

export interface RunningStack {
  outputs: StackOutputs;
  url: string;
  logs(): string;
  /** Ctrl-C, as a person would; resolves when the program and workerd have exited. */
  stop(): Promise<void>;
}

/** Starts a local stack and resolves once it serves; rejects with the program's output if it fails. */
export async function startStack(
  stage: string,
  {
    port,
    args = [],
    env = localEnv(),
    wrap = [],
  }: {
    port?: number;
    args?: string[];
    env?: NodeJS.ProcessEnv;
    /** A command to run the program under, e.g. strace. */
    wrap?: string[];
  } = {},
): Promise<RunningStack> {
  const chosen = port ?? (await freePort());
  const command = [...wrap, BUN, "alchemy.run.ts", "--stage", stage, "--port", String(chosen), ...args];
  const child = spawn(command[0] as string, command.slice(1), {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  await waitForServing(child, () => output);
  const outputs = JSON.parse(
    await readFile(path.join(ROOT, ".authform", `${stage}.json`), "utf8"),
  ) as StackOutputs;
  return {
    outputs,
    url: outputs.url,
    logs: () => output,
    stop: () => stopChild(child),
  };
}

function waitForServing(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stopChild(child);
      reject(new Error(`stack did not start within 120 s:\n${output()}`));
    }, 120_000);
    const check = () => {
      if (output().includes("Serving until Ctrl-C.")) {
        clearTimeout(timer);
        child.stdout?.off("data", check);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`stack exited with ${code} before serving:\n${output()}`));
    });
  });
}

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
    // The program runs workerd as a child; signal the whole group so nothing outlives the test.
    process.kill(-(child.pid as number), signal);
  } catch {
    child.kill(signal);
  }
}

/**
 * Runs SQL against a local D1 file with bun:sqlite (Node 20 has no SQLite of its own). Opened
 * read-write: after a killed deploy SQLite must roll back the hot journal on open, as workerd would.
 */
export async function querySqlite<T = Record<string, unknown>>(file: string, sql: string): Promise<T[]> {
  const script = `import { Database } from "bun:sqlite";
const db = new Database(process.env.SQL_FILE);
console.log(JSON.stringify(db.query(process.env.SQL_QUERY).all()));`;
  const result = await new Promise<RunResult>((resolve) => {
    const child = spawn(BUN, ["-e", script], {
      cwd: ROOT,
      env: { ...process.env, SQL_FILE: file, SQL_QUERY: sql },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ code, output }));
  });
  if (result.code !== 0) throw new Error(`sqlite query failed: ${result.output}`);
  return JSON.parse(result.output) as T[];
}
