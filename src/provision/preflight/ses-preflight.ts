/**
 * With email through SES: the key works in the region (GetAccount), whether the account is still in
 * the SES sandbox, its sending quota, and the sending identity's verification state. Read-only.
 */
import { classifyFailure } from "../deploy-failure.ts";
import { readSesIdentity, type SesConnection } from "../ses-identity.ts";
import type { PreflightCheck } from "./preflight-check.ts";

const PRODUCTION_ACCESS = "https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html";

export async function sesPreflight(conn: SesConnection, identity: string): Promise<PreflightCheck[]> {
  const ses = await import("@aws-sdk/client-sesv2");
  const client = new ses.SESv2Client({
    region: conn.region,
    ...(conn.endpoint ? { endpoint: conn.endpoint } : {}),
    credentials: { accessKeyId: conn.accessKeyId, secretAccessKey: conn.secretAccessKey },
  });
  const service = "AWS SES" as const;
  const checks: PreflightCheck[] = [];
  try {
    const account = await client.send(new ses.GetAccountCommand({}));
    checks.push({ ok: true, service, label: `credentials work in region ${conn.region}` });
    const quota = account.SendQuota;
    const quotaText = quota
      ? `${quota.Max24HourSend} per 24 h, ${quota.MaxSendRate} per second, ${quota.SentLast24Hours} sent in the last 24 h`
      : "not reported";
    if (account.ProductionAccessEnabled === false) {
      checks.push({
        ok: true,
        warning: true,
        service,
        label: "sandbox mode",
        detail: `mail reaches only verified addresses and domains (quota ${quotaText}). Request production access in the SES console (Account dashboard → Request production access) for ${conn.region}: ${PRODUCTION_ACCESS}`,
      });
    } else {
      checks.push({ ok: true, service, label: `production access; sending quota ${quotaText}` });
    }
    if (account.SendingEnabled === false) {
      checks.push({
        ok: false,
        service,
        label: "sending",
        detail: `paused for this account in ${conn.region} (enforcement status ${account.EnforcementStatus ?? "unknown"})`,
        fix: "See the SES console's Account dashboard for why, and resume sending there.",
      });
    }
  } catch (err) {
    if (err instanceof Error && err.name === "AccessDeniedException") {
      checks.push({
        ok: true,
        warning: true,
        service,
        label: "account",
        detail: "not checked: the key may not call ses:GetAccount (sandbox and quota unknown)",
      });
    } else {
      const cause = classifyFailure(err, { name: "ses-identity", label: "SES", service, permissions: [] });
      checks.push({
        ok: false,
        service,
        label: `credentials in region ${conn.region}`,
        detail: cause.cause,
        fix: cause.fix,
      });
      return checks;
    }
  }
  try {
    const status = await readSesIdentity(conn, identity);
    if (!status) {
      checks.push({
        ok: true,
        service,
        label: `identity ${identity}`,
        detail: `not in SES ${conn.region} yet: the deploy creates it`,
      });
    } else if (status.verifiedForSending) {
      checks.push({ ok: true, service, label: `identity ${identity} verified for sending` });
    } else {
      checks.push({
        ok: true,
        warning: true,
        service,
        label: `identity ${identity}`,
        detail: `${status.verificationStatus}: not verified yet, so SES refuses mail from it (the deploy lists the DNS records)`,
      });
    }
  } catch (err) {
    const denied = err instanceof Error && err.name === "AccessDeniedException";
    checks.push({
      ok: true,
      warning: true,
      service,
      label: `identity ${identity}`,
      detail: denied
        ? "not checked: the key may not call ses:GetEmailIdentity"
        : `not checked: ${classifyFailure(err, undefined).cause}`,
    });
  }
  return checks;
}
