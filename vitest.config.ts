import { defineConfig } from "vitest/config";

// Stack tests start workerd through the real `bun alchemy.run.ts`; with two cores, files run
// one at a time so stacks never fight over CPU or ports. Unit files are fast either way.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default"],
    // A stack whose file failed in beforeAll (or whose hook timed out mid-start) is stopped too.
    setupFiles: ["test/support/stop-programs.setup.ts"],
  },
});
