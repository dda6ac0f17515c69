/** The `--plan` section that compares the plan with the stage as deployed. Reads state; writes nothing. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateWorkerEntry } from "../generate/worker-entry.ts";
import { diffPlan, formatPlanDiff } from "../plan/plan-diff.ts";
import { ALLOW_SIGN_IN_REMOVAL_FLAG, stageHadPasswords } from "../plan/sign-in-removal.ts";
import type { DeploymentPlan } from "../plan/types.ts";

export interface PlanChangesInput {
  plan: DeploymentPlan;
  /** authform's worker/ sources and where this stage's entry is generated. */
  workerDir: string;
  entryDir: string;
  projectDir: string;
  password: string;
  env: Record<string, string | undefined>;
  /** The plugins the last run on this machine recorded, if any. */
  previousPlugins?: string[];
  /** Whether the config writes emailAndPassword at all (a run that drops unstated passwords stops). */
  passwordsStated: boolean;
}

const RUN_STOPS = `A run would stop here, before provisioning: the config does not mention emailAndPassword. Keep passwords with emailAndPassword: { enabled: true }; drop them with { enabled: false } or ${ALLOW_SIGN_IN_REMOVAL_FLAG}.`;

export async function describePlanChanges(input: PlanChangesInput): Promise<string> {
  const { plan } = input;
  try {
    // Imported here: Alchemy must load after the CLI has cleared process.argv.
    const { readDeployedWorker } = await import("../provision/deployed-worker.ts");
    const deployed = await readDeployedWorker(plan, { password: input.password, env: input.env });
    if (!deployed) return formatPlanDiff(plan.stage, "first-deploy");
    if (input.previousPlugins) deployed.plugins = input.previousPlugins;
    if (!plan.manifest.emailAndPassword.enabled) {
      // Who would be left without a way in if password sign-in goes (src/plan/sign-in-removal.ts).
      const { countPasswordUsers } = await import("../provision/password-users.ts");
      const users = await countPasswordUsers(plan, {
        password: input.password,
        env: input.env,
        root: input.projectDir,
      });
      if (users !== undefined) deployed.passwordUsers = users;
    }
    const envSecrets = Object.fromEntries(plan.secrets.map((s) => [s.name, input.env[s.name]]));
    const build = await nextBuild(input);
    const diff = formatPlanDiff(plan.stage, diffPlan(plan, deployed, { build, envSecrets }));
    const stops =
      !plan.manifest.emailAndPassword.enabled &&
      !input.passwordsStated &&
      stageHadPasswords(input.previousPlugins, deployed.passwordUsers);
    return stops ? `${diff}\n  ${RUN_STOPS}` : diff;
  } catch (err) {
    const reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
    return `Changes\n  Not compared with the deployed stage: ${reason}`;
  }
}

/** The fingerprint this run's bundle would carry, from the entry it would generate (written to a temp file). */
async function nextBuild(input: PlanChangesInput): Promise<string> {
  const { buildFingerprint } = await import("../provision/worker.ts");
  const dir = await mkdtemp(path.join(tmpdir(), "authform-plan-"));
  try {
    const entry = path.join(dir, "worker.ts");
    // As the deploy writes it: with the Account SPA (whose sources buildFingerprint hashes).
    await writeFile(
      entry,
      generateWorkerEntry(input.plan, input.workerDir, input.entryDir, { account: true }),
    );
    return await buildFingerprint(entry, input.projectDir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
