/** Renders a plan for `--plan` and the run header: what will exist, never a secret's value. */
import { STORAGE_RESOURCES } from "../contract/storage.ts";
import { TRANSPORT_LABELS } from "../contract/transports.ts";
import type { DeploymentPlan } from "./types.ts";

export function formatPlan(plan: DeploymentPlan): string {
  const lines = [
    `Plan for ${plan.app} · stage ${plan.stage} · ${plan.mode === "local" ? "local (workerd)" : "Cloudflare"}`,
    "",
    "Resources",
    `  D1 database   ${plan.names.database}  (migrations from migrations/${plan.database.readReplication ? ", read replicas" : ""})`,
    ...formatStorage(plan),
    ...(plan.names.webhooks
      ? [
          `  Queue         ${plan.names.webhooks.queue}  (webhook deliveries, ${plan.manifest.webhooks?.length ?? 0} endpoint(s))`,
          `  Queue         ${plan.names.webhooks.deadLetters}  (webhook dead letters, kept in D1's webhookDeadLetter)`,
        ]
      : []),
    `  Worker        ${plan.names.worker}  (${plan.compatibilityFlags.join(", ")}, ${plan.compatibilityDate})`,
    ...plan.customDomains.map(
      (d) => `  Domain        ${d.hostname}  (custom domain → the Worker${d.zone ? `, zone ${d.zone}` : ""})`,
    ),
    ...plan.workerRoutes.map(
      (r) => `  Route         ${r.pattern}  (Worker route → the Worker, zone ${r.zone})`,
    ),
    ...(plan.production
      ? ["  Production    yes: --destroy keeps the D1 database and generated secrets unless --force"]
      : []),
    "",
    "Auth",
    `  Base path     ${plan.routes.auth}`,
    `  Sign-in       ${formatPlugins(plan)}`,
    `  Email         ${describeTransport(plan.emailTransport)}`,
    ...formatSocialProviders(plan),
    "",
    "Worker bindings",
    ...Object.entries(plan.bindings).map(([name, kind]) => `  ${name.padEnd(22)} ${kind}`),
    "",
    "Worker vars",
    ...Object.entries(plan.vars).map(([name, value]) => `  ${name.padEnd(22)} ${value}`),
    "",
    "Worker secrets (values never shown)",
    ...plan.secrets.map(
      (s) =>
        `  ${s.name.padEnd(22)} ${s.source === "env" ? "from the environment" : "generated once for this stage"}`,
    ),
  ];
  if (plan.notes.length > 0) lines.push("", "Notes", ...plan.notes.map((n) => `  • ${n}`));
  return lines.join("\n");
}

/** Each social provider's callback URL, to paste into its dashboard, and what stands in for it locally. */
export function formatSocialProviders(plan: DeploymentPlan, indent = "  "): string[] {
  if (plan.socialProviders.length === 0) return [];
  const proxy = plan.oauthProxy;
  const header =
    proxy?.role === "preview"
      ? `${indent}Social        through ${proxy.stableUrl} (oauthProxy): its callback URLs, nothing to register for ${plan.stage}:`
      : `${indent}Social        callback URLs to register (${plan.stage}):`;
  const lines = [header];
  const width = Math.max(8, ...plan.socialProviders.map((p) => p.id.length));
  for (const p of plan.socialProviders) {
    const state = [
      p.credentials ? undefined : "off: no credentials",
      p.loopback ? `endpoints on ${p.loopback}` : undefined,
    ].filter(Boolean);
    lines.push(
      `${indent}  ${p.id.padEnd(width)} ${p.callbackUrl}${state.length > 0 ? `  (${state.join(", ")})` : ""}`,
    );
    lines.push(`${indent}  ${" ".repeat(width)} in ${p.dashboard}`);
  }
  if (proxy?.role === "stable") {
    lines.push(`${indent}  previews forwarded to (oauthProxy): ${proxy.previewOrigins.join(", ") || "none"}`);
  }
  return lines;
}

/** The secondary storage's resource line, as its catalogue entry describes it. */
function formatStorage(plan: DeploymentPlan): string[] {
  const backend = plan.manifest.storage && STORAGE_RESOURCES[plan.manifest.storage];
  if (!backend || !plan.names.kv) return [];
  return [`  ${backend.resource.label.padEnd(12)}  ${plan.names.kv}  (${backend.holds.join(", ")})`];
}

export function formatPlugins(plan: DeploymentPlan): string {
  const names: string[] = plan.manifest.emailAndPassword.enabled ? ["emailAndPassword"] : [];
  for (const name of plan.plugins) {
    const by = plan.autoIncluded[name];
    names.push(by ? `${name} (with ${by})` : name);
  }
  return names.join(", ");
}

export function describeTransport(transport: DeploymentPlan["emailTransport"]): string {
  return TRANSPORT_LABELS[transport];
}
