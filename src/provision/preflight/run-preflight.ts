/** The whole preflight for a plan: Cloudflare's checks, then SES's when the plan sends through SES. */
import type { DeploymentPlan } from "../../plan/types.ts";
import { sesIdentityFor } from "../ses-setup.ts";
import { cloudflarePreflight, type PreflightResult } from "./cloudflare-preflight.ts";
import { sesPreflight } from "./ses-preflight.ts";

export async function runPreflight(
  plan: DeploymentPlan,
  env: Record<string, string | undefined>,
): Promise<PreflightResult> {
  const result = await cloudflarePreflight(plan, env);
  if (plan.emailTransport !== "aws-ses") return result;
  const ses = await sesPreflight(
    {
      region: plan.vars.AWS_SES_REGION as string,
      ...(plan.vars.AWS_SES_ENDPOINT ? { endpoint: plan.vars.AWS_SES_ENDPOINT } : {}),
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? "",
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? "",
    },
    sesIdentityFor(plan.vars.EMAIL_FROM as string),
  );
  const checks = [...result.checks, ...ses];
  return { ...result, checks, ok: checks.every((c) => c.ok) };
}
