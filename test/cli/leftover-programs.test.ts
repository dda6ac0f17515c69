/**
 * No program a test file started outlives the file: not when its beforeAll fails, not when the hook
 * times out mid-start, not when a run to completion hangs.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localEnv, ROOT, runToCompletion } from "../support/program-process.ts";

const FIXTURE = "test/fixtures/leftover-programs";
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "leftover-programs-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids still alive after `ms` (processes that were just killed need a moment to be reaped). */
async function stillAlive(pids: number[], ms = 3_000): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = pids.filter(alive);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("a test file whose beforeAll fails after starting programs", () => {
  it("fails, and leaves neither the programs nor their children running", async () => {
    const pidsFile = path.join(dir, "pids");
    const run = await runToCompletion(
      [
        path.join(ROOT, "node_modules", ".bin", "vitest"),
        "run",
        "--config",
        `${FIXTURE}/vitest.config.ts`,
        "--reporter",
        "dot",
      ],
      { env: localEnv({ PIDS_FILE: pidsFile }), timeoutMs: 25_000 },
    );
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain("the rest of beforeAll failed");
    expect(run.output).toMatch(/Hook timed out in 500ms/);
    const pids = (await readFile(pidsFile, "utf8")).trim().split("\n").map(Number);
    // Two programs, each with its stand-in workerd.
    expect(pids).toHaveLength(4);
    const left = await stillAlive(pids);
    for (const pid of left) process.kill(pid, "SIGKILL"); // not ours to leave behind either
    expect(left).toEqual([]);
  });
});

describe("a run to completion that hangs (runProgram's timeout)", () => {
  it("is killed at its timeout with its children, and says so in its output", async () => {
    const program = `
const { spawn } = require("node:child_process");
const child = spawn("sleep", ["300"], { stdio: "ignore" });
console.log(process.pid + " " + child.pid);
setInterval(() => {}, 1000);
`;
    const started = Date.now();
    const run = await runToCompletion([process.execPath, "-e", program], { timeoutMs: 1_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.code).toBeNull();
    expect(run.output).toContain("[killed: still running after 1 s]");
    const pids = (run.output.split("\n")[0] as string).split(" ").map(Number);
    expect(pids).toHaveLength(2);
    expect(await stillAlive(pids)).toEqual([]);
  });
});
