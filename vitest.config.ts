import { configDefaults, defineConfig } from "vitest/config";

/**
 * Folders whose files start no stack (unit tests, plus a few Miniflare or one-shot programs). They
 * share one worker process (`isolate: false`): a fresh process and module graph per file cost about
 * as much as the tests themselves. Stack folders keep one process per file.
 */
const UNIT = [
  "test/config",
  "test/contract",
  "test/db",
  "test/deps",
  "test/client",
  "test/docs",
  "test/mcp",
  "test/email",
  "test/generate",
  "test/plan",
  "test/worker",
].map((folder) => `${folder}/**/*.test.ts`);

// Stack tests start workerd through the real `bun alchemy.run.ts`; with two cores, files run
// one at a time so stacks never fight over CPU or ports. Unit files are fast either way; they run
// first, then the rest (sequence.groupOrder), never side by side.
export default defineConfig({
  test: {
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default"],
    // A stack whose file failed in beforeAll (or whose hook timed out mid-start) is stopped too.
    setupFiles: ["test/support/stop-programs.setup.ts"],
    projects: [
      {
        extends: true,
        test: { name: "unit", include: UNIT, isolate: false, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: "stacks",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...UNIT],
          sequence: { groupOrder: 1 },
          // Files only stop their stacks; the stages started are destroyed together after the
          // last file, without a Bun process each (test/support/sweep-stages.ts).
          globalSetup: ["test/support/sweep-stages.global-setup.ts"],
          setupFiles: ["test/support/record-stages.setup.ts"],
        },
      },
    ],
  },
});
