/** `--plan` against the stage as deployed: what the next run adds, removes or changes — never a secret's value. */
import { describePasswordUsers, type PasswordUsers, stageHadPasswords } from "./sign-in-removal.ts";
import type { DeploymentPlan } from "./types.ts";

/** The stage's Worker as its state records it (read by src/provision/deployed-worker.ts). */
export interface DeployedWorker {
  vars: Record<string, string>;
  /** Secret names with the values in state: compared, never printed. */
  secrets: Record<string, string>;
  /** Non-text bindings by name → kind (`d1`, `send_email`, ...). */
  bindings: Record<string, string>;
  /** The build fingerprint the last upload carried. */
  build?: string;
  /** The plugins of the last run, when this machine recorded them (.authform/<stage>.json). */
  plugins?: string[];
  /** The stage's password users, counted when this run would have password sign-in off. */
  passwordUsers?: PasswordUsers;
}

/** What this run would deploy, beyond the plan itself. */
export interface NextWorker {
  build: string;
  /** The values of secrets taken from the environment; generated ones keep their state value. */
  envSecrets: Record<string, string | undefined>;
}

export type ChangeKind = "add" | "remove" | "change";

export interface PlanChange {
  /** `sign-in` is password sign-in (emailAndPassword); plugins, sign-in ones included, are `plugin`. */
  target: "var" | "secret" | "binding" | "plugin" | "sign-in" | "code";
  name: string;
  change: ChangeKind;
  /** Only for vars and bindings: values that are safe to print. */
  from?: string;
  to?: string;
  /** What the change means for the stage's users (password sign-in removed: who is left without a way in). */
  detail?: string;
}

/** Vars a run assigns afresh every time (the local outbox's per-run address): not a config change. */
const RUN_ASSIGNED = new Set(["AUTHFORM_OUTBOX_URL"]);

export function diffPlan(plan: DeploymentPlan, deployed: DeployedWorker, next: NextWorker): PlanChange[] {
  const changes: PlanChange[] = [];
  const vars = Object.fromEntries(Object.entries(plan.vars).filter(([name]) => !RUN_ASSIGNED.has(name)));
  const deployedVars = Object.fromEntries(
    Object.entries(deployed.vars).filter(([name]) => !RUN_ASSIGNED.has(name)),
  );
  for (const [name, to] of Object.entries(vars)) {
    const from = deployedVars[name];
    if (from === undefined) changes.push({ target: "var", name, change: "add", to });
    else if (from !== to) changes.push({ target: "var", name, change: "change", from, to });
  }
  for (const [name, from] of Object.entries(deployedVars)) {
    if (!(name in vars)) changes.push({ target: "var", name, change: "remove", from });
  }

  const secretNames = new Set(plan.secrets.map((s) => s.name));
  for (const spec of plan.secrets) {
    const current = deployed.secrets[spec.name];
    if (current === undefined) changes.push({ target: "secret", name: spec.name, change: "add" });
    else if (spec.source === "env" && next.envSecrets[spec.name] !== current) {
      changes.push({ target: "secret", name: spec.name, change: "change" });
    }
  }
  for (const name of Object.keys(deployed.secrets)) {
    if (!secretNames.has(name)) changes.push({ target: "secret", name, change: "remove" });
  }

  for (const [name, kind] of Object.entries(plan.bindings)) {
    const from = deployed.bindings[name];
    if (from === undefined) changes.push({ target: "binding", name, change: "add", to: kind });
    else if (from !== kind) changes.push({ target: "binding", name, change: "change", from, to: kind });
  }
  for (const [name, from] of Object.entries(deployed.bindings)) {
    if (!(name in plan.bindings)) changes.push({ target: "binding", name, change: "remove", from });
  }

  const methods =
    deployed.plugins ??
    (stageHadPasswords(undefined, deployed.passwordUsers) ? ["emailAndPassword"] : undefined);
  if (methods) {
    const before = new Set(methods);
    const after = new Set(enabledSignIns(plan));
    // Without this machine's record only password sign-in is known (from the D1): plugins are not compared.
    const compared = deployed.plugins ? [...before, ...after] : ["emailAndPassword"];
    for (const name of new Set(compared)) {
      const change =
        before.has(name) && !after.has(name)
          ? "remove"
          : !before.has(name) && after.has(name)
            ? "add"
            : undefined;
      if (!change) continue;
      const target = name === "emailAndPassword" ? "sign-in" : "plugin";
      const detail =
        target === "sign-in" && change === "remove"
          ? describePasswordUsers(deployed.passwordUsers)
          : undefined;
      changes.push({ target, name, change, ...(detail ? { detail } : {}) });
    }
  }
  if (deployed.build !== next.build)
    changes.push({ target: "code", name: "Worker script", change: "change" });
  return changes;
}

/** The sign-in methods a stage runs, as .authform/<stage>.json lists them. */
export function enabledSignIns(plan: DeploymentPlan): string[] {
  return [...(plan.manifest.emailAndPassword.enabled ? ["emailAndPassword"] : []), ...plan.plugins];
}

const MARK: Record<ChangeKind, string> = { add: "+", remove: "-", change: "~" };

/** The section `--plan` prints under the plan. */
export function formatPlanDiff(stage: string, changes: PlanChange[] | "first-deploy"): string {
  if (changes === "first-deploy") {
    return `Changes\n  First deploy of stage ${stage}: everything above will be created.`;
  }
  if (changes.length === 0) {
    return `Changes\n  None: stage ${stage} already runs this config. A run would change nothing.`;
  }
  const lines = changes.map((c) => `  ${MARK[c.change]} ${c.target.padEnd(8)} ${describe(c)}`);
  return [`Changes against stage ${stage} (+ add, - remove, ~ change)`, ...lines].join("\n");
}

function describe(c: PlanChange): string {
  if (c.target === "secret") {
    const what = { add: "new", remove: "removed", change: "new value (rotated)" }[c.change];
    return `${c.name}  ${what}; values never shown`;
  }
  if (c.target === "code")
    return "re-uploaded: the bundle's inputs changed (config, authform or dependencies)";
  if (c.target === "plugin") return c.name;
  if (c.target === "sign-in") return c.detail ? `${c.name}: ${c.detail}` : c.name;
  if (c.change === "add") return `${c.name} = ${c.to}`;
  if (c.change === "remove") return `${c.name} (was ${c.from})`;
  return `${c.name}: ${c.from} → ${c.to}`;
}
