/**
 * One local stack for a whole test file, the suite's usual shape: a fresh stage started before the
 * file's tests and stopped after them; the run destroys it (D1 file and state included) after its
 * last file.
 */
import { afterAll, beforeAll } from "vitest";
import { type RunningStack, startStack, uniqueStage } from "./stack.ts";

export interface FileStack {
  readonly stage: string;
  /** `--config <file>`, for other runs of the same program (--plan, --destroy). */
  readonly args: string[];
  /** The running stack (from beforeAll on). */
  readonly stack: RunningStack;
}

/** Something the file needs beside its stack (a browser): started at the same time, stopped first. */
export interface Companion {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function stackPerFile(label: string, config: string, companion?: Companion): FileStack {
  const stage = uniqueStage(label);
  const args = ["--config", config];
  let running: RunningStack | undefined;
  beforeAll(async () => {
    // Side by side: a stack takes ~10 s to start, and Chromium a second or two of it. Whichever
    // fails, what did start is kept so afterAll stops it.
    const [started, beside] = await Promise.allSettled([startStack(stage, { args }), companion?.start()]);
    if (started.status === "fulfilled") running = started.value;
    for (const result of [started, beside]) if (result.status === "rejected") throw result.reason;
  });
  afterAll(async () => {
    await companion?.stop();
    await running?.stop();
    // The stage itself is destroyed after the last file, with every other stage the run started
    // (test/support/sweep-stages.global-setup.ts).
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
