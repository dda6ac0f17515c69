/** A stage's Alchemy state (any store), opened read-only for `--plan` and pre-run checks: changes nothing. */
import alchemy from "alchemy";
import type { DeploymentPlan } from "../plan/types.ts";
import { chooseStateStoreKind, createStateStore } from "./state-store.ts";

export interface ReadOptions {
  /** Decrypts the secrets in state, so a rotated secret shows as a change. */
  password: string;
  env: Record<string, string | undefined>;
}

/** The state of one resource of the stage (`worker`, `database`, ...), or undefined when it has none. */
export async function readStageResource(
  plan: Pick<DeploymentPlan, "app" | "stage" | "mode">,
  options: ReadOptions,
  id: string,
): Promise<{ props?: unknown; output?: unknown } | undefined> {
  const store = await createStateStore(chooseStateStoreKind(options.env, plan.mode), options.env);
  const scope = await alchemy(plan.app, {
    stage: plan.stage,
    phase: "read",
    // Reading state needs no local runtime (and local: true prints Alchemy's dev-mode banner).
    local: false,
    password: options.password,
    noTrack: true,
    stateStore: store,
  });
  const stageScope = scope.children.get(plan.stage) ?? scope;
  return (await stageScope.state.get(id)) ?? undefined;
}
