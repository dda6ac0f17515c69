/** How far a stage got: every resource in its Alchemy state with its status; and forgetting a create Cloudflare refused. */
import alchemy from "alchemy";
import type { DeploymentPlan } from "../plan/types.ts";
import type { ReadOptions } from "./stage-state.ts";
import { chooseStateStoreKind, createStateStore } from "./state-store.ts";

export interface ResourceProgress {
  id: string;
  kind: string;
  /** Alchemy's status: `creating`/`updating` while (or when a run failed) applying, `created`/`updated` once done. */
  status: string;
  /** Declaration order within the stage: the last one in flight is the one that failed. */
  seq: number;
  /** The cloud-side name, when the resource has one. */
  name?: string;
}

type StagePlan = Pick<DeploymentPlan, "app" | "stage" | "mode">;

async function openStageScope(plan: StagePlan, options: ReadOptions) {
  const store = await createStateStore(chooseStateStoreKind(options.env, plan.mode), options.env);
  const scope = await alchemy(plan.app, {
    stage: plan.stage,
    phase: "read",
    local: false,
    password: options.password,
    noTrack: true,
    stateStore: store,
  });
  return scope.children.get(plan.stage) ?? scope;
}

export async function readStageProgress(plan: StagePlan, options: ReadOptions): Promise<ResourceProgress[]> {
  const stageScope = await openStageScope(plan, options);
  return Object.entries(await stageScope.state.all())
    .filter(([, s]) => s.kind !== "alchemy::Scope")
    .map(([id, s]) => {
      const name = nameOf(s.output) ?? nameOf(s.props);
      return { id, kind: s.kind, status: s.status, seq: s.seq ?? 0, ...(name ? { name } : {}) };
    });
}

function nameOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  return [v.name, v.title, v.identity].find((x): x is string => typeof x === "string" && x !== "");
}

/**
 * Drops the record of a create that Cloudflare refused outright (a name clash, a limit, a missing
 * permission): nothing was made, and a record left `creating` would make the next run adopt
 * whatever then has that name (adoptIfRecovering), which for a clash is someone else's resource.
 */
export async function forgetRefusedCreate(plan: StagePlan, options: ReadOptions, id: string): Promise<void> {
  const stageScope = await openStageScope(plan, options);
  const state = await stageScope.state.get(id);
  if (state?.status === "creating") await stageScope.state.delete(id);
}
