/** Spawns a program (`bun alchemy.run.ts`, the bench's peer), waits until it serves, stops it: shared by tests and bench. */
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { ENV_VAR_NAMES, PLATFORM_ENV_VARS } from "../../src/plan/env-vars.ts";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const BUN = path.join(ROOT, "node_modules", ".bin", "bun");
/** The line both programs print once the stack serves. */
const SERVING = "Serving until Ctrl-C.";

/**
 * Variables the libraries under the program read by prefix on their own (Alchemy, the AWS SDK),
 * and authform's own family: none may leak from a developer's shell into a test stack.
 */
const READ_BY_PREFIX = ["ALCHEMY_", "CLOUDFLARE_", "AWS_", "AUTHFORM_", "BETTER_AUTH_", "EMAIL_"];
/** Who runs the tests: only read for the default stage, and every test names its stage. */
const KEPT = new Set(["USER", "LOGNAME"]);

/** Whether a variable from the test runner's own environment could change what the program does. */
export function readByProgram(name: string): boolean {
  if (KEPT.has(name)) return false;
  return (
    ENV_VAR_NAMES.has(name) ||
    PLATFORM_ENV_VARS.includes(name) ||
    READ_BY_PREFIX.some((prefix) => name.startsWith(prefix)) ||
    name === "DEBUG"
  );
}

/**
 * The environment of a developer with no Cloudflare credentials and nothing set for authform (the
 * programs set their own placeholders): every variable the program reads is stripped, and only
 * `extra` puts one back.
 */
export function localEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (readByProgram(name)) delete env[name];
  }
  return { ...env, ...extra };
}

/**
 * Linux hands out 32768–60999 to outgoing connections (workerd's, fetch's): a port picked there can
 * be taken by one of them before the program binds it (a stack then comes up on port + 1, and the
 * run stops). Test stacks take theirs below that range, checked free the way Alchemy's proxy binds.
 */
const STACK_PORTS = { from: 20_000, to: 32_000 };

export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = STACK_PORTS.from + Math.floor(Math.random() * (STACK_PORTS.to - STACK_PORTS.from));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port in ${STACK_PORTS.from}–${STACK_PORTS.to} after 50 tries`);
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

export interface RunResult {
  code: number | null;
  output: string;
}

/**
 * Runs a command to completion (in `cwd`, by default the repository), stdout and stderr together, in
 * its own process group; SIGKILL to the group after `timeoutMs` (the output then says so), so a hung
 * run fails its test with its output.
 */
export function runToCompletion(
  command: string[],
  {
    env = localEnv(),
    timeoutMs,
    cwd = ROOT,
  }: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = track(
      spawn(command[0] as string, command.slice(1), {
        cwd,
        env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      }),
    );
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            output += `\n[killed: still running after ${timeoutMs / 1000} s]\n`;
            signalGroup(child, "SIGKILL");
          }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * Every program this test process spawned whose group may still run. A test file's afterAll
 * stops the stack it knows of; this catches the rest (a beforeAll that failed or timed out after
 * the spawn): test/support/stop-programs.setup.ts stops them after every file.
 */
const running = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  // When the program ends, so does whatever it left in its group; then forget it (its pid may be reused).
  child.once("exit", () => forget(child));
  return child;
}

function forget(child: ChildProcess) {
  if (!running.delete(child)) return;
  signalGroup(child, "SIGKILL");
}

/** Stops every program this test process started and has not stopped: Ctrl-C to each group, then SIGKILL. */
export async function stopAllPrograms(): Promise<void> {
  await Promise.all([...running].map(stopChild));
}

export interface ServingProgram {
  pid: number;
  /** Spawn → the serving line, in ms. */
  readyMs: number;
  /** Each output line with the ms since spawn it arrived at (ANSI colours stripped). */
  timeline: { ms: number; line: string }[];
  output(): string;
  /** Ctrl-C to the whole group, as a person would; resolves when the program and workerd have exited. */
  stop(): Promise<void>;
}

/**
 * Spawns a long-running program in its own process group and resolves once it prints the serving
 * line; rejects with its output (after stopping it) if it exits or times out first.
 */
export async function startServing(
  command: string[],
  { env = localEnv(), timeoutMs = 120_000 }: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ServingProgram> {
  const started = performance.now();
  const child = track(
    spawn(command[0] as string, command.slice(1), {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    }),
  );
  let output = "";
  const timeline: ServingProgram["timeline"] = [];
  const record = (d: Buffer) => {
    output += d;
    const ms = performance.now() - started;
    for (const line of stripVTControlCharacters(String(d)).split("\n")) {
      if (line.trim()) timeline.push({ ms, line });
    }
  };
  child.stdout?.on("data", record);
  child.stderr?.on("data", record);
  try {
    await waitForServing(child, () => output, timeoutMs);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return {
    pid: child.pid as number,
    readyMs: performance.now() - started,
    timeline,
    output: () => output,
    stop: () => stopChild(child),
  };
}

function waitForServing(child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off("exit", exited);
      reject(new Error(`not serving within ${timeoutMs / 1000} s:\n${output()}`));
    }, timeoutMs);
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

/** Ctrl-C to the whole group (the program and its workerd); SIGKILL if it lingers, and to what it left. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    forget(child);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const kill = setTimeout(() => signalGroup(child, "SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(kill);
      forget(child);
      resolve();
    });
    signalGroup(child, "SIGINT");
  });
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    // The program runs workerd as a child; signal the whole group so nothing outlives it.
    process.kill(-(child.pid as number), signal);
  } catch {
    // The group is gone (ESRCH): nothing of it is left to stop.
  }
}
