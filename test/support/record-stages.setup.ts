/**
 * Vitest setup file of the stack files: every stage startStack starts is appended to the run's
 * file (provided by test/support/sweep-stages.global-setup.ts), and destroyed after the last file.
 */
import { appendFileSync } from "node:fs";
import { inject } from "vitest";
import { onStackStart } from "./stack.ts";

const file = inject("startedStagesFile");
onStackStart((stage) => appendFileSync(file, `${stage}\n`));
