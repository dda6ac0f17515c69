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

/** Whether a deploy of this plan runs the preflight first, and why, in words. */
export interface PreflightNeed {
  needed: boolean;
  /** The stage has something recorded (the preflight's failure leaves it as it is). */
  deployedBefore: boolean;
  reason: string;
}

/**
 * Before every deploy that may create something: a stage with nothing deployed yet, one whose last
 * run failed part-way, or one the plan adds a step to (KV, webhooks, custom domains, routes, SES) — the runs
 * where a missing permission would otherwise stop half-way. A stage deployed whole whose plan adds
 * no step skips it, so an unchanged re-run still sends nothing to Cloudflare; its updates need the
 * permissions its first deploy was checked for, and a refusal is still named by the deploy.
 */
export async function preflightNeed(plan: DeploymentPlan, options: ReadOptions): Promise<PreflightNeed> {
  const progress = await readStageProgress(plan, options);
  const recorded = new Set(progress.map((r) => deployStepOf(r.kind)?.name));
  const added = plannedSteps(plan).filter((step) => !recorded.has(step));
  const deployedBefore = progress.length > 0;
  if (!deployedBefore)
    return { needed: true, deployedBefore, reason: `stage ${plan.stage} has nothing deployed yet` };
  if (!progress.every((r) => r.status === "created" || r.status === "updated"))
    return { needed: true, deployedBefore, reason: `the last run of stage ${plan.stage} stopped part-way` };
  if (added.length > 0)
    return {
      needed: true,
      deployedBefore,
      reason: `the plan adds ${added.join(", ")} to stage ${plan.stage}`,
    };
  return {
    needed: false,
    deployedBefore,
    reason: `stage ${plan.stage} is deployed whole and the plan adds no step`,
  };
}

/** `--plan` without `--check` sends nothing to Cloudflare: it says whether the deploy will preflight, and how to run it now. */
export async function describePlannedPreflight(plan: DeploymentPlan, options: ReadOptions): Promise<string> {
  const need = await preflightNeed(plan, options).catch(() => undefined);
  const when = !need
    ? "The deploy decides whether to run it"
    : need.needed
      ? `The deploy runs it first: ${need.reason}`
      : `The deploy skips it: ${need.reason}`;
  return `Preflight\n  Not run by --plan, which sends nothing to Cloudflare. ${when}.\n  Run it now (read-only, GET requests only) with --plan --check.`;
}

export async function preflightDeploy(plan: DeploymentPlan, options: ReadOptions): Promise<void> {
  const need = await preflightNeed(plan, options);
  if (!need.needed) return;
  const result = await runPreflight(plan, options.env);
  if (!result.ok) {
    const kept = need.deployedBefore
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
    ...(plan.names.webhooks ? (["webhooks"] as const) : []),
    ...(plan.customDomains.length > 0 ? (["domains"] as const) : []),
    ...(plan.workerRoutes.length > 0 ? (["routes"] as const) : []),
    ...(plan.emailTransport === "aws-ses" ? (["ses-identity"] as const) : []),
  ];
}
