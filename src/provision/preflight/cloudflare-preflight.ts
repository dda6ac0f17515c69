/**
 * Before anything is created: is the token good, may it use the account, does it hold every
 * permission the plan needs, and does the workers.dev subdomain exist when the plan serves there.
 * Read-only (GETs only), so `--check` and `--plan --check` change nothing.
 */
import type { DeploymentPlan } from "../../plan/types.ts";
import { classifyFailure } from "../deploy-failure.ts";

export interface PreflightCheck {
  ok: boolean;
  /** Passes, but the person should know (SES sandbox): printed with "!". */
  warning?: boolean;
  /** Checks of another service than Cloudflare are printed under its name. */
  service?: "AWS SES";
  /** What was checked, e.g. a permission by its dashboard name. */
  label: string;
  /** Why it failed, or a note on what was not checked. */
  detail?: string;
  /** A permission the token lacks (dashboard name): listed together at the end. */
  missingPermission?: string;
  /** What to do, when it is not "add the permission". */
  fix?: string;
}

export interface PreflightResult {
  baseUrl: string;
  checks: PreflightCheck[];
  ok: boolean;
}

type PreflightPlan = Pick<DeploymentPlan, "names" | "customDomains" | "workerRoutes" | "bindings" | "urls">;

const DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";

interface Answer {
  status: number;
  body: { success?: boolean; errors?: { code?: number; message?: string }[]; result?: unknown };
}

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

  let verify: Answer;
  try {
    verify = await get("/user/tokens/verify");
  } catch (err) {
    const cause = classifyFailure(err, undefined);
    checks.push({ ok: false, label: "Cloudflare API reachable", detail: cause.cause, fix: cause.fix });
    return done();
  }
  const status = (verify.body.result as { status?: string } | undefined)?.status;
  if (verify.status !== 200 || status !== "active") {
    checks.push({
      ok: false,
      label: "API token (CLOUDFLARE_API_TOKEN)",
      detail: verify.status === 200 ? `the token is ${status}` : `not accepted (${said(verify)})`,
      fix: 'Create a token from the "Edit Cloudflare Workers" template and set CLOUDFLARE_API_TOKEN to it.',
    });
    return done();
  }
  checks.push({ ok: true, label: "API token is active" });

  const account = env.CLOUDFLARE_ACCOUNT_ID;
  if (!account) {
    checks.push({
      ok: false,
      label: "CLOUDFLARE_ACCOUNT_ID",
      detail: "not set",
      fix: "Set it to the account's id (dashboard → Workers & Pages → Account ID).",
    });
    return done();
  }
  const acct = `/accounts/${encodeURIComponent(account)}`;
  const accountAnswer = await get(acct);
  if (accountAnswer.status !== 200) {
    checks.push({
      ok: false,
      label: `account ${account}`,
      detail: `the token may not use it (${said(accountAnswer)})`,
      fix: "Check CLOUDFLARE_ACCOUNT_ID, and that the token's Account Resources include this account.",
    });
    return done();
  }
  checks.push({ ok: true, label: `account ${account} is open to the token` });

  const probe = async (permission: string, path: string) => {
    const answer = await get(path);
    checks.push(
      answer.status === 200
        ? { ok: true, label: permission }
        : {
            ok: false,
            label: permission,
            detail: `refused (${said(answer)})`,
            missingPermission: permission,
          },
    );
    return answer;
  };
  await probe("Account · Workers Scripts · Edit", `${acct}/workers/scripts`);
  await probe("Account · D1 · Edit", `${acct}/d1/database?per_page=1`);
  if (plan.names.kv)
    await probe("Account · Workers KV Storage · Edit", `${acct}/storage/kv/namespaces?per_page=1`);

  const zones = [
    ...new Set([...plan.customDomains.flatMap((d) => d.zone ?? []), ...plan.workerRoutes.map((r) => r.zone)]),
  ];
  for (const zone of zones) {
    const found = await probe(`Zone · Zone · Read (${zone})`, `/zones?name=${encodeURIComponent(zone)}`);
    const id = (found.body.result as { id?: string }[] | undefined)?.[0]?.id;
    if (found.status !== 200) continue;
    if (!id) {
      checks.push({
        ok: false,
        label: `zone ${zone}`,
        detail: "not on this account, or outside the token's Zone Resources",
        fix: `Add ${zone} to the account, or include it in the token's Zone Resources.`,
      });
      continue;
    }
    await probe(`Zone · Workers Routes · Edit (${zone})`, `/zones/${id}/workers/routes`);
    await probe(`Zone · DNS · Edit (${zone})`, `/zones/${id}/dns_records?per_page=1`);
  }
  if (plan.bindings.EMAIL === "send_email") {
    checks.push({
      ok: true,
      label: "Account · Email Sending · Edit",
      detail: "needed for the send_email binding; not checked (no read-only call shows it)",
    });
  }

  const host = new URL(plan.urls.api).hostname;
  if (host.endsWith(".workers.dev")) {
    const answer = await get(`${acct}/workers/subdomain`);
    const subdomain = (answer.body.result as { subdomain?: string } | undefined)?.subdomain;
    checks.push(
      answer.status === 200 && subdomain
        ? host.endsWith(`.${subdomain}.workers.dev`)
          ? { ok: true, label: `workers.dev subdomain ${subdomain}` }
          : {
              ok: false,
              label: "workers.dev subdomain",
              detail: `the account's is ${subdomain}, but the plan serves on ${host}`,
              fix: `Set CLOUDFLARE_WORKERS_SUBDOMAIN=${subdomain}.`,
            }
        : {
            ok: false,
            label: "workers.dev subdomain",
            detail: `the plan serves on ${host}, but the account has none (${said(answer)})`,
            fix: "Open Workers & Pages in the Cloudflare dashboard once: it asks for the account's workers.dev subdomain.",
          },
    );
  }
  return done();
}

function said(answer: Answer): string {
  const errors = answer.body.errors ?? [];
  const text = errors.map((e) => `[${e.code}] ${e.message}`).join("; ");
  return text ? `${answer.status}: ${text}` : `HTTP ${answer.status}`;
}
