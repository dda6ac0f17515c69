/**
 * Vitest globalSetup of the stack files: each started stage is recorded in one file for the run
 * (test/support/stack.ts `startStack`), and after the last file they are all destroyed in one Bun
 * process (test/support/sweep-stages.ts), instead of a `--destroy` run (~2 s) in every file's afterAll.
 * A stage that is not fully destroyed fails the run.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { BUN, ROOT, runToCompletion } from "./program-process.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The file startStack appends each stage it starts to, one name a line. */
    startedStagesFile: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "authform-test-stages-"));
  const file = path.join(dir, "started");
  await writeFile(file, "");
  project.provide("startedStagesFile", file);
  return async () => {
    // A run of files that started no stack has nothing to destroy.
    if ((await readFile(file, "utf8")).trim() === "") return rm(dir, { recursive: true, force: true });
    const swept = await runToCompletion([BUN, path.join(ROOT, "test/support/sweep-stages.ts"), file], {
      timeoutMs: 600_000,
    });
    await rm(dir, { recursive: true, force: true });
    if (swept.code === 0) return;
    // Vitest reports an error thrown here but still exits 0: the exit code is set instead.
    console.error(`Destroying the run's test stages failed:\n${swept.output}`);
    process.exitCode = 1;
  };
}
