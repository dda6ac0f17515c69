/**
 * Vitest globalSetup of the stack files: each started stage is recorded in one file for the run
 * (test/support/stack.ts `startStack`), and after the last file they are all destroyed by one Bun
 * process (test/support/sweep-stages.ts), instead of a `--destroy` run (~2 s) in every file's
 * afterAll. A stage that is not fully destroyed fails the run.
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

/**
 * One sweeper: stages are destroyed one after another. Two sweepers once failed a CI run with
 * SQLITE_BUSY ("database is locked") and a stage left behind: each destroy then started a workerd
 * on the shared Miniflare state (Alchemy migrated the local D1 before deleting it). A destroy
 * starts none now (src/provision/database.ts), and at ~0.05–0.09 s a stage a second sweeper
 * would save too little to risk it.
 */
const SWEEPERS = 1;

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "authform-test-stages-"));
  const file = path.join(dir, "started");
  await writeFile(file, "");
  project.provide("startedStagesFile", file);
  return async () => {
    try {
      await sweep(dir, file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

async function sweep(dir: string, file: string): Promise<void> {
  const stages = [...new Set((await readFile(file, "utf8")).split("\n").filter(Boolean))];
  // A run of files that started no stack has nothing to destroy.
  if (stages.length === 0) return;
  const shares = Array.from({ length: Math.min(SWEEPERS, stages.length) }, (_, i) =>
    stages.filter((_, n) => n % SWEEPERS === i),
  );
  const runs = await Promise.all(
    shares.map(async (share, i) => {
      const list = path.join(dir, `share-${i}`);
      await writeFile(list, `${share.join("\n")}\n`);
      return runToCompletion([BUN, path.join(ROOT, "test/support/sweep-stages.ts"), list], {
        timeoutMs: 600_000,
      });
    }),
  );
  const failed = runs.filter((run) => run.code !== 0);
  if (failed.length === 0) return;
  // Vitest reports an error thrown here but still exits 0: the exit code is set instead.
  console.error(`Destroying the run's test stages failed:\n${failed.map((run) => run.output).join("\n")}`);
  process.exitCode = 1;
}
