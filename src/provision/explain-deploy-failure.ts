/** Turns whatever a deploy threw into one message: the cause, the fix, and what the stage holds now. */
import type { DeploymentPlan } from "../plan/types.ts";
import { UserError } from "../user-error.ts";
import { classifyFailure, type FailureCause, type FailureKind } from "./deploy-failure.ts";
import { deployOrderOf, deployStepOf } from "./deploy-steps.ts";
import { forgetRefusedCreate, type ResourceProgress, readStageProgress } from "./stage-progress.ts";
import type { ReadOptions } from "./stage-state.ts";

/** A deploy that stopped part-way: printed as its message alone (the original error is its `cause`, shown with DEBUG). */
export class DeployFailure extends UserError {
  override name = "DeployFailure";

  constructor(
    readonly kind: FailureKind,
    message: string,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

const IN_FLIGHT = new Set(["creating", "updating", "deleting"]);
const DONE = new Set(["created", "updated"]);
/** Cloudflare said no to the create itself: nothing was made, and a re-run must not adopt a namesake. */
const REFUSED = new Set<FailureKind>(["name-taken", "account-limit", "permission", "token-invalid"]);
/** Failures after which Cloudflare may have made the thing before the answer was lost. */
const MAY_HAVE_LANDED = new Set<FailureKind>(["network", "server-error", "rate-limited", "unknown"]);

export async function explainDeployFailure(
  err: unknown,
  plan: Pick<DeploymentPlan, "app" | "stage" | "mode">,
  options: ReadOptions,
): Promise<UserError> {
  if (err instanceof UserError) return err;
  const progress = await readStageProgress(plan, options).catch(() => undefined);
  const failing = progress
    ?.filter((r) => IN_FLIGHT.has(r.status))
    .sort((a, b) => b.seq - a.seq)
    .at(0);
  const step = failing ? deployStepOf(failing.kind) : undefined;
  const cause = classifyFailure(err, step, failing?.name);
  if (failing?.status === "creating" && REFUSED.has(cause.kind)) {
    await forgetRefusedCreate(plan, options, failing.id).catch(() => undefined);
  }
  const at = step ? ` at ${step.label}${failing?.name ? ` (${failing.name})` : ""}` : "";
  const lines = [
    `Deploy of stage "${plan.stage}" failed${at}.`,
    `  Cause: ${cause.cause}`,
    `  Fix:   ${cause.fix}`,
    `  State: ${describeState(progress, failing, cause)}`,
  ];
  return new DeployFailure(cause.kind, lines.join("\n"), err);
}

/** "Nothing was created", or what exists and that a re-run continues from it. */
export function describeState(
  progress: ResourceProgress[] | undefined,
  failing: ResourceProgress | undefined,
  cause: Pick<FailureCause, "kind">,
): string {
  if (!progress) return "the stage's state could not be read; a re-run compares it with Cloudflare again.";
  const made = progress
    .filter((r) => DONE.has(r.status) || (r === failing && r.status === "updating"))
    .sort((a, b) => deployOrderOf(a.kind) - deployOrderOf(b.kind));
  const step = failing ? deployStepOf(failing.kind) : undefined;
  const landed =
    failing?.status === "creating" && step && MAY_HAVE_LANDED.has(cause.kind)
      ? ` If Cloudflare made ${step.label} before the failure, the re-run takes it over.`
      : "";
  if (made.length === 0) return `Nothing was created; a re-run starts from the beginning.${landed}`;
  const names = made.map((r) => {
    const label = deployStepOf(r.kind)?.label ?? r.kind;
    return r.name ? `${label} ${r.name}` : label;
  });
  const unique = [...new Set(names)];
  const list = unique.length === 1 ? unique[0] : `${unique.slice(0, -1).join(", ")} and ${unique.at(-1)}`;
  const sentence = `${list} ${unique.length === 1 ? "exists" : "exist"}; a re-run continues from here.${landed}`;
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
