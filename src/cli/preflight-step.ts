/** The preflight in the program's flow: `--check` alone, with `--plan`, and before a deploy that may create things. */
import type { DeploymentPlan } from "../plan/types.ts";
import { type DeployStepName, deployStepOf } from "../provision/deploy-steps.ts";
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
 * Before every deploy that may create something: a stage with nothing deployed yet, one whose last
 * run failed part-way, or one the plan adds a step to (KV, custom domains, routes, SES) — the runs
 * where a missing permission would otherwise stop half-way. A stage deployed whole whose plan adds
 * no step skips it, so an unchanged re-run still sends nothing to Cloudflare; its updates need the
 * permissions its first deploy was checked for, and a refusal is still named by the deploy.
 */
export async function preflightDeploy(plan: DeploymentPlan, options: ReadOptions): Promise<void> {
  const progress = await readStageProgress(plan, options);
  const recorded = new Set(progress.map((r) => deployStepOf(r.kind)?.name));
  const settled =
    progress.length > 0 &&
    progress.every((r) => r.status === "created" || r.status === "updated") &&
    plannedSteps(plan).every((step) => recorded.has(step));
  if (settled) return;
  const result = await runPreflight(plan, options.env);
  if (!result.ok) {
    const kept =
      progress.length > 0
        ? `\nStage "${plan.stage}" stays as its last run left it: the preflight sent only reads.`
        : "";
    throw new PreflightError(`${formatPreflight(result)}${kept}`);
  }
  console.log(
    `Preflight passed: ${result.checks
      .filter((c) => !c.warning)
      .map((c) => c.label)
      .join("; ")}.`,
  );
  // What passes but matters (SES sandbox, an identity not verified yet) is said before the deploy.
  for (const c of result.checks.filter((c) => c.warning)) console.log(`  ! ${c.label} — ${c.detail}`);
}

/** The steps this plan's deploy makes resources for (src/provision/deploy-steps.ts). */
function plannedSteps(plan: DeploymentPlan): DeployStepName[] {
  return [
    "database",
    "worker",
    ...(plan.names.kv ? (["kv"] as const) : []),
    ...(plan.customDomains.length > 0 ? (["domains"] as const) : []),
    ...(plan.workerRoutes.length > 0 ? (["routes"] as const) : []),
    ...(plan.emailTransport === "aws-ses" ? (["ses-identity"] as const) : []),
  ];
}
