/**
 * Destroys local test stages a suite run started, all in this one Bun process: the real `--destroy`
 * path (destroyStage around Alchemy's destroyStack) for each stage in turn, without a fresh Bun,
 * module graph and Alchemy load per stage. Run by test/support/sweep-stages.global-setup.ts after
 * the last file (one process, stages one after another): `bun test/support/sweep-stages.ts FILE`,
 * FILE holding one stage name per line. Exits 1, naming them, if any stage was not fully destroyed.
 */
import { existsSync } from "node:fs";
import { readdir, readFile, rmdir } from "node:fs/promises";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const file = process.argv[2];
if (!file) throw new Error("usage: bun test/support/sweep-stages.ts STAGES_FILE");
const stages = [...new Set((await readFile(file, "utf8")).split("\n").filter(Boolean))];
// Alchemy reads process.argv when it loads (as in src/cli/main.ts): it must see no options.
process.argv.splice(2);

const { LOCAL_ALCHEMY_PASSWORD, prepareLocalEnvironment } = await import("../../src/cli/environment.ts");
const { destroyStage } = await import("../../src/cli/destroy.ts");
const { destroyStack } = await import("../../src/provision/stack.ts");

const env = process.env;
prepareLocalEnvironment(env);

/** The app (config name) whose local state holds the stage, if any: `.alchemy/<app>/<stage>`. */
async function appHolding(stage: string): Promise<string | undefined> {
  const apps = await readdir(path.join(ROOT, ".alchemy")).catch(() => [] as string[]);
  return apps.find((app) => app !== "miniflare" && existsSync(path.join(ROOT, ".alchemy", app, stage)));
}

const failed: string[] = [];
for (const stage of stages) {
  const app = await appHolding(stage);
  // A test stage is never kept: production or not, everything goes (--destroy --force).
  const target = { app: app ?? "none", stage, mode: "local" as const, root: ROOT, force: true };
  const code = await destroyStage(target, async () =>
    // No state: the run never reached Alchemy (or the file destroyed its stage itself); only the
    // generated sources, outbox and outputs may be left, and destroyStage removes those.
    app
      ? destroyStack({ app, stage, mode: "local" }, { password: LOCAL_ALCHEMY_PASSWORD, env })
      : { kept: [], remaining: [] },
  );
  if (code !== 0) failed.push(stage);
}
// --destroy leaves an app's folder (.alchemy/<app>) behind once its last stage is gone, also when
// a test ran it itself: an empty one goes (rmdir refuses any folder that still holds something).
for (const app of await readdir(path.join(ROOT, ".alchemy")).catch(() => [] as string[])) {
  await rmdir(path.join(ROOT, ".alchemy", app)).catch(() => undefined);
}
if (failed.length > 0) {
  console.error(`Test stages not fully destroyed: ${failed.join(", ")}`);
  process.exit(1);
}
process.exit(0);
