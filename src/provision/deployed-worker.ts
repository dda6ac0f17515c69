/** Reads a stage's Worker from Alchemy state (any store) for `--plan`: opens the scope read-only, changes nothing. */
import alchemy, { Secret } from "alchemy";
import type { DeployedWorker } from "../plan/plan-diff.ts";
import type { DeploymentPlan } from "../plan/types.ts";
import { chooseStateStoreKind, createStateStore } from "./state-store.ts";

export interface ReadOptions {
  /** Decrypts the secrets in state, so a rotated secret shows as a change. */
  password: string;
  env: Record<string, string | undefined>;
}

const BUILD_BANNER = /authform build ([0-9a-f]+)/;

/** The Worker as deployed, or undefined when the stage has none yet. */
export async function readDeployedWorker(
  plan: Pick<DeploymentPlan, "app" | "stage" | "mode">,
  options: ReadOptions,
): Promise<DeployedWorker | undefined> {
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
  const state = await stageScope.state.get("worker");
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
