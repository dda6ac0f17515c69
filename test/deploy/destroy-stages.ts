/**
 * Destroys a deploy test file's stages in one Bun process: the real `--destroy` (src/cli/main.ts)
 * for each in turn, with that stage's config, options and environment, without a fresh Bun, module
 * graph and Alchemy load per stage (most of a destroy run against the stand-in). Run by
 * `destroyStages` in deploy-support.ts: `bun test/deploy/destroy-stages.ts FILE`, FILE a JSON list
 * of { stage, config, env, args }, all against one Cloudflare (stand-in). Exits 1, naming them, if any stage was not fully destroyed.
 */
import { readFile } from "node:fs/promises";

interface StageToDestroy {
  stage: string;
  config: string;
  env: Record<string, string>;
  args: string[];
}

const file = process.argv[2];
if (!file) throw new Error("usage: bun test/deploy/destroy-stages.ts STAGES_FILE");
const stages = JSON.parse(await readFile(file, "utf8")) as StageToDestroy[];
const { main } = await import("../../src/cli/main.ts");
const { reportFailure } = await import("../../src/cli/report-failure.ts");

const failed: string[] = [];
for (const { stage, config, env, args } of stages) {
  // Alchemy reads its Cloudflare settings from process.env, as in a run of its own: each stage's
  // environment replaces the last one. Its API client is memoized on the props (none here), so
  // the first stage's endpoint and token serve all: the stages of one list share one stand-in.
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, env);
  const code = await main(["--destroy", "--stage", stage, "--config", config, ...args], process.env).catch(
    (err: unknown) => reportFailure(err),
  );
  if (code !== 0) failed.push(stage);
}
if (failed.length > 0) {
  console.error(`Test stages not fully destroyed: ${failed.join(", ")}`);
  process.exit(1);
}
process.exit(0);
