/** `bun alchemy.run.ts`: config → plan → generate → provision → outputs, or --plan / --destroy. */
import path from "node:path";
import { loadConfig } from "../config/load.ts";
import { writeWorkerEntry } from "../generate/worker-entry.ts";
import { MIGRATIONS_DIR, WORKER_DIR } from "../package-root.ts";
import { formatPlan } from "../plan/format-plan.ts";
import { planDeployment, withOutboxUrl } from "../plan/plan-deployment.ts";
import { SignInRemovalError } from "../plan/sign-in-removal.ts";
import { quietAlchemyFetchLog } from "../provision/quiet-fetch-log.ts";
import {
  checkStateStoreEnv,
  chooseStateStoreKind,
  describeChanges,
  StateStoreError,
} from "../provision/state-store.ts";
import { parseCliArgs, USAGE, UsageError } from "./args.ts";
import { defaultStage, detectMode, LOCAL_ALCHEMY_PASSWORD, prepareLocalEnvironment } from "./environment.ts";
import { startOutboxServer } from "./outbox-server.ts";
import { readOutputs, stackOutputs, writeOutputs } from "./outputs.ts";
import { describePlanChanges } from "./plan-changes.ts";
import { assertServingOn, chooseLocalPort } from "./port.ts";
import { guardSignInRemoval } from "./sign-in-guard.ts";
import { formatSummary } from "./summary.ts";

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = parseCliArgs(argv);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const config = await loadConfig(args.config);
  const mode = detectMode(env, args.local);
  const stage = args.stage ?? defaultStage(env);
  const cwd = process.cwd();

  if (args.check && mode !== "deploy") {
    throw new UsageError(
      "--check checks Cloudflare credentials: set CLOUDFLARE_API_TOKEN (local mode uses none).",
    );
  }
  if (mode === "local") prepareLocalEnvironment(env);
  const generatedDir = path.join(cwd, ".authform", "generated", stage);
  // The Account SPA's static build, which the entry embeds (src/generate/account-assets.ts). esbuild
  // builds in its own process, so started here it runs while Alchemy loads (about a second).
  const account = args.plan || args.destroy || args.check ? undefined : buildAccount(generatedDir);
  // Alchemy reads process.argv when it loads; authform passes it every option itself. Every module
  // that imports Alchemy is imported after this line, never statically.
  process.argv.splice(2);
  const { describePlannedPreflight, preflightDeploy, printPreflight } = await import("./preflight-step.ts");
  if (args.check && !args.plan) {
    // Read-only: no state store, no password, no build.
    return (await printPreflight(planDeployment({ config, env, stage, mode }), env)) ? 0 : 1;
  }
  if (!args.plan) {
    // A deploy whose state could not be shared (CI without a remote store) fails before it starts.
    try {
      checkStateStoreEnv(chooseStateStoreKind(env, mode), env);
    } catch (err) {
      if (!(err instanceof StateStoreError)) throw err;
      console.error(err.message);
      return 1;
    }
  }
  const password = env.ALCHEMY_PASSWORD || (mode === "local" ? LOCAL_ALCHEMY_PASSWORD : "");
  const stack = await import("../provision/stack.ts");

  if (args.destroy) {
    const { destroyStage } = await import("./destroy.ts");
    const production = config.runtime.productionStages.includes(stage);
    return destroyStage({ app: config.name, stage, mode, root: cwd, production, force: args.force }, () =>
      stack.destroyStack(
        { app: config.name, stage, mode },
        { password, env },
        { keepData: production && !args.force },
      ),
    );
  }

  const previous = await readOutputs(cwd, stage);
  const port = mode === "local" ? await chooseLocalPort(args.port, previous?.port) : undefined;
  const planned = planDeployment({ config, env, stage, mode, port });
  // A plan that picked the local outbox gets one this process serves on loopback while the stack runs.
  const outbox =
    planned.emailTransport === "local-outbox" && !args.plan
      ? await startOutboxServer({ root: cwd, stage })
      : undefined;
  const plan = outbox ? withOutboxUrl(planned, outbox.url) : planned;
  if (args.plan) {
    console.log(formatPlan(plan));
    const changes = await describePlanChanges({
      plan,
      workerDir: WORKER_DIR,
      entryDir: path.join(cwd, ".authform", "generated", stage),
      projectDir: cwd,
      password,
      env,
      ...(previous ? { previousPlugins: previous.plugins } : {}),
      passwordsStated: config.auth.emailAndPasswordStated,
    });
    console.log(`\n${changes}`);
    if (args.check) {
      console.log("");
      return (await printPreflight(plan, env)) ? 0 : 1;
    }
    // Marked as not run, with what the deploy will do: --plan alone sends nothing to Cloudflare.
    if (mode === "deploy") console.log(`\n${await describePlannedPreflight(plan, { password, env })}`);
    return 0;
  }
  // Before anything is created or read from the stage's database: token, account, permissions.
  if (mode === "deploy") await preflightDeploy(plan, { password, env });
  try {
    await guardSignInRemoval({
      plan,
      stated: config.auth.emailAndPasswordStated,
      ...(previous ? { recorded: previous.plugins } : {}),
      allowed: args.allowSignInRemoval,
      password,
      env,
      root: cwd,
    });
  } catch (err) {
    if (!(err instanceof SignInRemovalError)) throw err;
    await outbox?.close();
    console.error(err.message);
    return 1;
  }
  for (const note of plan.notes) console.log(`note: ${note}`);

  await account;
  const entrypoint = await writeWorkerEntry(plan, WORKER_DIR, generatedDir, { account: true });
  if (mode === "deploy") quietAlchemyFetchLog(env);
  const result = await stack
    .deployStack(plan, { entrypoint, migrationsDir: MIGRATIONS_DIR }, { password, env })
    .catch(async (err: unknown) => {
      if (mode !== "deploy") throw err;
      // One message (cause, fix, what the stage holds), not Alchemy's stack.
      const { explainDeployFailure } = await import("../provision/explain-deploy-failure.ts");
      throw await explainDeployFailure(err, plan, { password, env });
    });
  if (!result.url) throw new Error("The Worker was deployed but reported no URL.");
  if (port !== undefined) assertServingOn(result.url, port);
  const outputs = stackOutputs(plan, result.url);
  const file = await writeOutputs(cwd, outputs);
  console.log(formatSummary(plan, outputs, path.relative(cwd, file)));
  if (mode === "deploy") console.log(describeChanges(result.changes));
  if (mode === "local") {
    console.log("\nServing until Ctrl-C.");
    return -1; // keep the process (and workerd) alive
  }
  return 0;
}

/** Starts the Account SPA build; a failure surfaces where it is awaited, never as an unhandled rejection. */
function buildAccount(generatedDir: string): Promise<unknown> {
  const build = import("../generate/account-assets.ts").then((m) => m.buildAccountAssets(generatedDir));
  build.catch(() => undefined);
  return build;
}
