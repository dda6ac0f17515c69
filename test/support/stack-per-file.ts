/**
 * One local stack for a whole test file, the suite's usual shape: a fresh stage started before the
 * file's tests and stopped and destroyed (D1 file and state included) after them.
 */
import { afterAll, beforeAll } from "vitest";
import { type RunningStack, runProgram, startStack, uniqueStage } from "./stack.ts";

export interface FileStack {
  readonly stage: string;
  /** `--config <file>`, for other runs of the same program (--plan, --destroy). */
  readonly args: string[];
  /** The running stack (from beforeAll on). */
  readonly stack: RunningStack;
}

export function stackPerFile(label: string, config: string): FileStack {
  const stage = uniqueStage(label);
  const args = ["--config", config];
  let running: RunningStack | undefined;
  beforeAll(async () => {
    running = await startStack(stage, { args });
  });
  afterAll(async () => {
    await running?.stop();
    await runProgram(["--destroy", "--stage", stage, ...args]);
  });
  return {
    stage,
    args,
    get stack() {
      if (!running) throw new Error(`the ${label} stack is not running (did beforeAll fail?)`);
      return running;
    },
  };
}
