/** The stage's Worker secrets: from the environment, or generated once and kept encrypted in state. */
import alchemy, { type Secret } from "alchemy";
import { RandomString } from "alchemy/random";
import type { DeploymentPlan } from "../plan/types.ts";

export async function provisionSecrets(
  plan: DeploymentPlan,
  env: Record<string, string | undefined>,
): Promise<Record<string, Secret>> {
  const secrets: Record<string, Secret> = {};
  for (const spec of plan.secrets) {
    if (spec.source === "env") {
      secrets[spec.name] = alchemy.secret(env[spec.name] as string, spec.name);
    } else {
      // Generated once per stage: later runs read the same value back from state.
      const generated = await RandomString(`secret-${spec.name.toLowerCase()}`, { length: 32 });
      secrets[spec.name] = generated.value;
    }
  }
  return secrets;
}
