/** Before provisioning: a config that stopped mentioning passwords does not lock a stage's password users out. */
import { checkSignInRemoval, stageHadPasswords } from "../plan/sign-in-removal.ts";
import type { DeploymentPlan } from "../plan/types.ts";

export interface SignInGuardInput {
  plan: DeploymentPlan;
  /** Whether the config writes emailAndPassword at all. */
  stated: boolean;
  /** The sign-in methods the last run on this machine recorded (.authform/<stage>.json), if any. */
  recorded?: string[];
  /** --allow-sign-in-removal. */
  allowed: boolean;
  password: string;
  env: Record<string, string | undefined>;
  root: string;
}

/** Throws a SignInRemovalError (a user error, nothing provisioned) when the run must not go on. */
export async function guardSignInRemoval(input: SignInGuardInput): Promise<void> {
  const { plan, stated, recorded, allowed } = input;
  if (plan.manifest.emailAndPassword.enabled || stated || allowed) return;
  if (recorded && !recorded.includes("emailAndPassword")) return;
  // Imported here: Alchemy must load after the CLI has cleared process.argv.
  const { countPasswordUsers } = await import("../provision/password-users.ts");
  const users = await countPasswordUsers(plan, input);
  checkSignInRemoval({ plan, stated, hadPasswords: stageHadPasswords(recorded, users), users, allowed });
}
