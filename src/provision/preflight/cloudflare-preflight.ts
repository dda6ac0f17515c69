/**
 * Before anything is created: is the token good, may it use the account, does it hold every
 * permission the plan needs (from the token's own policies when it may read them, else by reads),
 * is the sender onboarded to Email Sending, and does the workers.dev subdomain exist when the plan
 * serves there. Read-only (GETs only), so `--check` and `--plan --check` change nothing.
 */
import type { DeploymentPlan } from "../../plan/types.ts";
import { classifyFailure } from "../deploy-failure.ts";
import { emailSendingState } from "./email-sending-check.ts";
import {
  D1,
  EMAIL_SENDING,
  type NeededPermission,
  QUEUES,
  WORKERS_KV,
  WORKERS_SCRIPTS,
  zonePermissions,
} from "./needed-permissions.ts";
import type { CloudflareAnswer, PreflightCheck, PreflightResult } from "./preflight-check.ts";
import { grants, policiesOf } from "./token-policies.ts";

type PreflightPlan = Pick<
  DeploymentPlan,
  "names" | "customDomains" | "workerRoutes" | "bindings" | "urls" | "vars"
>;

const DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";

type Answer = CloudflareAnswer;

export type { PreflightCheck, PreflightResult };

export async function cloudflarePreflight(
  plan: PreflightPlan,
  env: Record<string, string | undefined>,
): Promise<PreflightResult> {
  const baseUrl = env.CLOUDFLARE_BASE_URL || DEFAULT_BASE_URL;
  const checks: PreflightCheck[] = [];
  const done = () => ({ baseUrl, checks, ok: checks.every((c) => c.ok) });
  const token = env.CLOUDFLARE_API_TOKEN;
  if (!token) {
    checks.push({
      ok: true,
      label: "API token",
      detail: "not checked: CLOUDFLARE_API_KEY (global key) in use",
    });
    return done();
  }
  const get = async (path: string): Promise<Answer> => {
    const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json().catch(() => ({}))) as Answer["body"];
    return { status: res.status, body };
  };
  try {
    await checkToken(plan, env, get, checks);
  } catch (err) {
    const cause = classifyFailure(err, undefined);
    checks.push({ ok: false, label: "Cloudflare API reachable", detail: cause.cause, fix: cause.fix });
  }
  return done();
}

async function checkToken(
  plan: PreflightPlan,
  env: Record<string, string | undefined>,
  get: (path: string) => Promise<Answer>,
  checks: PreflightCheck[],
): Promise<void> {
  const account = env.CLOUDFLARE_ACCOUNT_ID;
  const acct = account ? `/accounts/${encodeURIComponent(account)}` : undefined;
  // A user's token verifies at /user/tokens/verify; an account-owned one only at the account's.
  let verify = await get("/user/tokens/verify");
  let owner: "user" | "account" = "user";
  if (verify.status === 401 && acct) {
    const accountVerify = await get(`${acct}/tokens/verify`);
    if (accountVerify.status === 200) {
      verify = accountVerify;
      owner = "account";
    }
  }
  const result = verify.body.result as { id?: string; status?: string } | undefined;
  if (verify.status !== 200 || result?.status !== "active") {
    checks.push({
      ok: false,
      label: "API token (CLOUDFLARE_API_TOKEN)",
      detail: verify.status === 200 ? `the token is ${result?.status}` : `not accepted (${said(verify)})`,
      fix: 'Create a token from the "Edit Cloudflare Workers" template and set CLOUDFLARE_API_TOKEN to it.',
    });
    return;
  }
  checks.push({ ok: true, label: `API token is active${owner === "account" ? " (account-owned)" : ""}` });
  if (!account || !acct) {
    checks.push({
      ok: false,
      label: "CLOUDFLARE_ACCOUNT_ID",
      detail: "not set",
      fix: "Set it to the account's id (dashboard → Workers & Pages → Account ID).",
    });
    return;
  }

  const accountNeeds = [
    WORKERS_SCRIPTS,
    D1,
    ...(plan.names.kv ? [WORKERS_KV] : []),
    ...(plan.names.webhooks ? [QUEUES] : []),
  ];
  const zones = [
    ...new Set([...plan.customDomains.flatMap((d) => d.zone ?? []), ...plan.workerRoutes.map((r) => r.zone)]),
  ];
  const host = new URL(plan.urls.api).hostname;
  const emailFrom = plan.bindings.EMAIL === "send_email" ? plan.vars.EMAIL_FROM : undefined;
  const detailsPath = owner === "user" ? `/user/tokens/${result.id}` : `${acct}/tokens/${result.id}`;
  // Every read that needs only the token's id goes at once: a deploy waits for the slowest, not the sum.
  const [accountAnswer, details, probes, zoneAnswers, subdomain, email] = await Promise.all([
    get(acct),
    get(detailsPath),
    Promise.all(accountNeeds.map((p) => get(p.probe?.(acct) ?? acct))),
    Promise.all(zones.map((z) => get(`/zones?name=${encodeURIComponent(z)}`))),
    host.endsWith(".workers.dev") ? get(`${acct}/workers/subdomain`) : undefined,
    typeof emailFrom === "string" && emailFrom ? emailSendingState(get, emailFrom, said) : undefined,
  ]);
  if (accountAnswer.status !== 200) {
    checks.push({
      ok: false,
      label: `account ${account}`,
      detail: `the token may not use it (${said(accountAnswer)})`,
      fix: "Check CLOUDFLARE_ACCOUNT_ID, and that the token's Account Resources include this account.",
    });
    return;
  }
  checks.push({ ok: true, label: `account ${account} is open to the token` });

  const policies = details.status === 200 ? policiesOf(details.body.result) : undefined;
  const tokensRead = owner === "user" ? "User · API Tokens · Read" : "Account · Account API Tokens · Read";
  checks.push(
    policies
      ? { ok: true, label: `permission groups read from the token (GET ${detailsPath})` }
      : {
          ok: true,
          warning: true,
          label: "permissions checked with reads only",
          detail: `the token's permission groups are not readable (${said(details)}; that needs ${tokensRead}), so each permission below is probed with a GET: a read-only token passes here, and write access is confirmed when the deploy first writes`,
        },
  );
  const fromPolicies = (needed: NeededPermission, zoneId?: string): PreflightCheck =>
    policies && grants(policies, needed, account, zoneId)
      ? { ok: true, label: needed.dashboard }
      : {
          ok: false,
          label: needed.dashboard,
          detail: `not in the token's policies (needs ${needed.groups[0]})`,
          missingPermission: needed.dashboard,
        };
  const fromRead = (needed: NeededPermission, answer: Answer): PreflightCheck =>
    answer.status === 200
      ? { ok: true, label: needed.dashboard }
      : {
          ok: false,
          label: needed.dashboard,
          detail: `refused (${said(answer)})`,
          missingPermission: needed.dashboard,
        };
  accountNeeds.forEach((needed, i) => {
    checks.push(policies ? fromPolicies(needed) : fromRead(needed, probes[i] as Answer));
  });
  if (plan.bindings.EMAIL === "send_email") {
    if (policies) checks.push(fromPolicies(EMAIL_SENDING));
    else if (email?.refused)
      checks.push({
        ok: false,
        label: EMAIL_SENDING.dashboard,
        detail: `refused (${email.refused})`,
        missingPermission: EMAIL_SENDING.dashboard,
      });
    else
      checks.push({
        ok: true,
        warning: true,
        label: EMAIL_SENDING.dashboard,
        detail: email
          ? "not refused reading the sending domains; whether the token may send is confirmed by the first email"
          : "not checked: EMAIL_FROM is not set",
      });
  }

  const zoneChecks = await Promise.all(
    zones.map((zone, i) =>
      checkZone(zone, zoneAnswers[i] as Answer, policies ? fromPolicies : undefined, get),
    ),
  );
  checks.push(...zoneChecks.flat());
  if (email) checks.push(email.check);

  if (subdomain) {
    const name = (subdomain.body.result as { subdomain?: string } | undefined)?.subdomain;
    checks.push(
      subdomain.status === 200 && name
        ? host.endsWith(`.${name}.workers.dev`)
          ? { ok: true, label: `workers.dev subdomain ${name}` }
          : {
              ok: false,
              label: "workers.dev subdomain",
              detail: `the account's is ${name}, but the plan serves on ${host}`,
              fix: `Set CLOUDFLARE_WORKERS_SUBDOMAIN=${name}.`,
            }
        : {
            ok: false,
            label: "workers.dev subdomain",
            detail: `the plan serves on ${host}, but the account has none (${said(subdomain)})`,
            fix: "Open Workers & Pages in the Cloudflare dashboard once: it asks for the account's workers.dev subdomain.",
          },
    );
  }
}

/** A zone the plan binds hostnames in: found, then its permissions from the policies or by reads. */
async function checkZone(
  zone: string,
  found: Answer,
  fromPolicies: ((needed: NeededPermission, zoneId?: string) => PreflightCheck) | undefined,
  get: (path: string) => Promise<Answer>,
): Promise<PreflightCheck[]> {
  const [zoneRead, routes, dns] = zonePermissions(zone) as [
    NeededPermission,
    NeededPermission,
    NeededPermission,
  ];
  if (found.status !== 200) {
    return [
      {
        ok: false,
        label: zoneRead.dashboard,
        detail: `refused (${said(found)})`,
        missingPermission: zoneRead.dashboard,
      },
    ];
  }
  const id = (found.body.result as { id?: string }[] | undefined)?.[0]?.id;
  if (!id) {
    return [
      { ok: true, label: zoneRead.dashboard },
      {
        ok: false,
        label: `zone ${zone}`,
        detail: "not on this account, or outside the token's Zone Resources",
        fix: `Add ${zone} to the account, or include it in the token's Zone Resources.`,
      },
    ];
  }
  // Found by name: what Zone · Read is needed for works (any zone permission lists the zone).
  if (fromPolicies)
    return [{ ok: true, label: zoneRead.dashboard }, ...[routes, dns].map((p) => fromPolicies(p, id))];
  const [routesAnswer, dnsAnswer] = await Promise.all([
    get(`/zones/${id}/workers/routes`),
    get(`/zones/${id}/dns_records?per_page=1`),
  ]);
  const read = (needed: NeededPermission, answer: Answer): PreflightCheck =>
    answer.status === 200
      ? { ok: true, label: needed.dashboard }
      : {
          ok: false,
          label: needed.dashboard,
          detail: `refused (${said(answer)})`,
          missingPermission: needed.dashboard,
        };
  return [{ ok: true, label: zoneRead.dashboard }, read(routes, routesAnswer), read(dns, dnsAnswer)];
}

export function said(answer: Answer): string {
  const errors = answer.body.errors ?? [];
  const text = errors.map((e) => `[${e.code}] ${e.message}`).join("; ");
  return text ? `${answer.status}: ${text}` : `HTTP ${answer.status}`;
}
