/** Reads a stage's Worker from Alchemy state (any store) for `--plan`: opens the scope read-only, changes nothing. */
import { Secret } from "alchemy";
import type { DeployedWorker } from "../plan/plan-diff.ts";
import type { DeploymentPlan } from "../plan/types.ts";
import { type ReadOptions, readStageResource } from "./stage-state.ts";

export type { ReadOptions };

const BUILD_BANNER = /authform build ([0-9a-f]+)/;

/** The Worker as deployed, or undefined when the stage has none yet. */
export async function readDeployedWorker(
  plan: Pick<DeploymentPlan, "app" | "stage" | "mode">,
  options: ReadOptions,
): Promise<DeployedWorker | undefined> {
  const state = await readStageResource(plan, options, "worker");
  if (!state) return undefined;
  const props = state.props as { bindings?: Record<string, unknown>; bundle?: { banner?: { js?: string } } };
  const deployed: DeployedWorker = { vars: {}, secrets: {}, bindings: {} };
  for (const [name, value] of Object.entries(props.bindings ?? {})) {
    if (typeof value === "string") deployed.vars[name] = value;
    else if (value instanceof Secret) deployed.secrets[name] = String(value.unencrypted);
    else if (typeof value === "object" && value !== null && "type" in value) {
      deployed.bindings[name] = String((value as { type: unknown }).type);
    }
  }
  const build = BUILD_BANNER.exec(props.bundle?.banner?.js ?? "")?.[1];
  if (build) deployed.build = build;
  return deployed;
}
