/** A deploy that sends through SES verifies its sending identity: which identity, and what the person is told to do. */
import type { Scope, Secret } from "alchemy";
import type { DeploymentPlan } from "../plan/types.ts";
import {
  isAccessDenied,
  readSesIdentity,
  SesIdentity,
  type SesIdentity as SesIdentityOutput,
} from "./ses-identity.ts";

/** The identity SES verifies for EMAIL_FROM: its domain, so DKIM covers every address on it. */
export function sesIdentityFor(emailFrom: string): string {
  return emailFrom
    .slice(emailFrom.lastIndexOf("@") + 1)
    .trim()
    .toLowerCase();
}

/**
 * Deploy mode with email.provider 'aws-ses' only (local mode never touches AWS). The resource id
 * names the region and identity, so pointing EMAIL_FROM at another domain verifies the new one
 * and retires the old (deleted only if this stage created it).
 */
export async function provisionSesIdentity(
  plan: DeploymentPlan,
  secrets: Record<string, Secret>,
): Promise<SesIdentityOutput | undefined> {
  if (plan.mode !== "deploy" || plan.emailTransport !== "aws-ses") return undefined;
  const region = plan.vars.AWS_SES_REGION as string;
  const identity = sesIdentityFor(plan.vars.EMAIL_FROM as string);
  const accessKeyId = secrets.AWS_ACCESS_KEY_ID;
  const secretAccessKey = secrets.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new Error("SES identity: the plan has no AWS credentials.");
  return SesIdentity(`ses-identity-${region}-${identity}`, {
    identity,
    region,
    accessKeyId,
    secretAccessKey,
    ...(plan.vars.AWS_SES_ENDPOINT ? { endpoint: plan.vars.AWS_SES_ENDPOINT } : {}),
  });
}

/**
 * An identity AWS refused to read or create (a key without ses:GetEmailIdentity or
 * ses:CreateEmailIdentity), which this stage did not create, holds nothing on AWS: its record is
 * dropped before the run, so the run asks SES again. Kept, it would be skipped as unchanged and
 * repeat the old refusal even after the key was allowed. A key that stays send-only is asked again
 * on every run (one refused call).
 */
export async function forgetDeniedSesIdentities(scope: Scope): Promise<void> {
  for (const [id, state] of Object.entries(await scope.state.all())) {
    const output = state.output as Partial<SesIdentityOutput> | undefined;
    if (state.kind === "authform::SesIdentity" && output?.deniedOperation && !output.created) {
      await scope.state.delete(id);
    }
  }
}

/**
 * The lines printed after a deploy. A run with unchanged props skips the resource, so while the
 * identity is not yet verified its status is read again here (GetEmailIdentity only, nothing
 * recorded in state): the person sees the moment SES accepts their DNS records.
 */
export async function reportSesIdentity(
  identity: SesIdentityOutput,
  secrets: Record<string, Secret>,
  runStartedAt: Date,
  /** The Cloudflare zone the DKIM records were written to (src/provision/ses-dns.ts), if any. */
  zone?: string,
): Promise<string[]> {
  const fresh = Date.parse(identity.checkedAt) >= runStartedAt.getTime();
  if (identity.verifiedForSending || identity.deniedOperation || fresh)
    return describeSesIdentity(identity, zone);
  try {
    const status = await readSesIdentity(
      {
        region: identity.region,
        ...(identity.endpoint ? { endpoint: identity.endpoint } : {}),
        accessKeyId: secrets.AWS_ACCESS_KEY_ID?.unencrypted ?? "",
        secretAccessKey: secrets.AWS_SECRET_ACCESS_KEY?.unencrypted ?? "",
      },
      identity.identity,
    );
    if (!status) {
      return [
        `SES       ${identity.identity} (${identity.region}): not found in SES — it was deleted outside authform; create it again in the SES console.`,
      ];
    }
    return describeSesIdentity({ ...identity, ...status }, zone);
  } catch (err) {
    if (isAccessDenied(err)) return describeSesIdentity({ ...identity, deniedOperation: "GetEmailIdentity" });
    const reason = err instanceof Error ? err.message : String(err);
    return [
      ...describeSesIdentity(identity, zone),
      `            (as last checked ${identity.checkedAt}; checking again failed: ${reason})`,
    ];
  }
}

/**
 * What a person reads after the deploy: verified, or the DNS records / link still to act on.
 * With `zone`, the records are already in that Cloudflare zone: nothing to add, only to wait.
 */
export function describeSesIdentity(
  identity: Omit<SesIdentityOutput, "checkedAt" | "created">,
  zone?: string,
): string[] {
  const head = `SES       ${identity.identity} (${identity.region})`;
  if (identity.deniedOperation) {
    return [
      `${head}: not checked — AWS refused ses:${identity.deniedOperation} for this key.`,
      `            Verify ${identity.identity} in the SES console, or allow the key ses:GetEmailIdentity, ses:CreateEmailIdentity and ses:DeleteEmailIdentity.`,
    ];
  }
  if (identity.verifiedForSending) return [`${head}: verified for sending`];
  if (identity.identityType === "EMAIL_ADDRESS") {
    return [`${head}: ${identity.verificationStatus} — open the link SES mailed to ${identity.identity}`];
  }
  const todo =
    zone === undefined
      ? "add these DNS records (SES checks them for up to 72 h):"
      : `DKIM records written to zone ${zone} (SES checks them for up to 72 h):`;
  return [
    `${head}: ${identity.verificationStatus} — ${todo}`,
    ...identity.dnsRecords.map((r) => `            ${r.name}  ${r.type}  ${r.value}`),
  ];
}
