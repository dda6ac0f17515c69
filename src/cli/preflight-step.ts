/** The preflight in the program's flow: `--check` alone, with `--plan`, and before a deploy that may create things. */
import type { DeploymentPlan } from "../plan/types.ts";
import { formatPreflight, PreflightError } from "../provision/preflight/format-preflight.ts";
import { runPreflight } from "../provision/preflight/run-preflight.ts";
import { readStageProgress } from "../provision/stage-progress.ts";
import type { ReadOptions } from "../provision/stage-state.ts";

/** Runs the checks and prints them; true when every one passed. */
export async function printPreflight(
  plan: DeploymentPlan,
  env: Record<string, string | undefined>,
): Promise<boolean> {
  const result = await runPreflight(plan, env);
  console.log(formatPreflight(result));
  return result.ok;
}

/**
 * Before a deploy of a stage with nothing deployed yet, or whose last run failed part-way: the
 * runs where a token or account problem is likely and would otherwise stop half-way. A stage that
 * deployed whole skips it, so an unchanged re-run still sends nothing to Cloudflare.
 */
export async function preflightDeploy(plan: DeploymentPlan, options: ReadOptions): Promise<void> {
  const progress = await readStageProgress(plan, options);
  const settled =
    progress.length > 0 && progress.every((r) => r.status === "created" || r.status === "updated");
  if (settled) return;
  const result = await runPreflight(plan, options.env);
  if (!result.ok) throw new PreflightError(formatPreflight(result));
  console.log(
    `Preflight passed: ${result.checks
      .filter((c) => !c.warning)
      .map((c) => c.label)
      .join("; ")}.`,
  );
  // What passes but matters (SES sandbox, an identity not verified yet) is said before the deploy.
  for (const c of result.checks.filter((c) => c.warning)) console.log(`  ! ${c.label} — ${c.detail}`);
}
