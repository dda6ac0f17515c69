/** Runs the real `bun alchemy.run.ts` for tests: one local stack per test file, on workerd with D1. */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { StackOutputs } from "../../src/cli/outputs.ts";
import {
  BUN,
  freePort,
  localEnv,
  ROOT,
  type RunResult,
  runToCompletion,
  startServing,
} from "./program-process.ts";

export { freePort, localEnv, ROOT, type RunResult };

/** A stage name no other test run uses. */
export function uniqueStage(label: string): string {
  return `t-${label}-${randomBytes(3).toString("hex")}`;
}

/**
 * Runs the program to completion (for --plan, --destroy, bad configs). Killed after `timeoutMs`
 * (default 100 s, inside the 120 s hook timeout) so a hung run fails with its output, not a bare timeout.
 */
export function runProgram(args: string[], env = localEnv(), timeoutMs = 100_000): Promise<RunResult> {
  return runToCompletion([BUN, "alchemy.run.ts", ...args], { env, timeoutMs });
}

/**
 * Told each stage startStack is about to start. Under vitest, test/support/record-stages.setup.ts
 * sets it so the run destroys every started stage at its end (test/support/sweep-stages.ts); a
 * script using startStack on its own destroys its stage itself.
 */
let recordStage: ((stage: string) => void) | undefined;

export function onStackStart(record: (stage: string) => void): void {
  recordStage = record;
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
  // Before the spawn: a start that fails midway can leave state too.
  recordStage?.(stage);
  const chosen = port ?? (await freePort());
  const command = [...wrap, BUN, "alchemy.run.ts", "--stage", stage, "--port", String(chosen), ...args];
  const program = await startServing(command, { env });
  const outputs = JSON.parse(
    await readFile(path.join(ROOT, ".authform", `${stage}.json`), "utf8"),
  ) as StackOutputs;
  return { outputs, url: outputs.url, logs: program.output, stop: program.stop };
}

/**
 * Runs SQL against a local D1 file with bun:sqlite (Node 20 has no SQLite of its own). Opened
 * read-write: after a killed deploy SQLite must roll back the hot journal on open, as workerd would.
 * It waits up to 10 s for workerd's write lock: the Worker writes after its responses too (audit
 * events, emails sent after the response), and without a busy timeout SQLite answers "database is
 * locked" at once.
 */
export async function querySqlite<T = Record<string, unknown>>(file: string, sql: string): Promise<T[]> {
  const script = `import { Database } from "bun:sqlite";
const db = new Database(process.env.SQL_FILE);
db.run("PRAGMA busy_timeout = 10000");
console.log(JSON.stringify(db.query(process.env.SQL_QUERY).all()));`;
  const result = await runToCompletion([BUN, "-e", script], {
    env: { ...process.env, SQL_FILE: file, SQL_QUERY: sql },
  });
  if (result.code !== 0) throw new Error(`sqlite query failed: ${result.output}`);
  return JSON.parse(result.output) as T[];
}
