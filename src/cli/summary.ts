/** The short human summary printed after a successful deploy. */
import { describeTransport, formatPlugins } from "../plan/format-plan.ts";
import type { DeploymentPlan } from "../plan/types.ts";
import type { StackOutputs } from "./outputs.ts";
import { socialCallbacks } from "./outputs.ts";

export function formatSummary(plan: DeploymentPlan, outputs: StackOutputs, outputsFile: string): string {
  return [
    "",
    `authform ▸ ${plan.app} · stage ${plan.stage} · ${plan.mode === "local" ? "local (workerd)" : "Cloudflare"}`,
    `  URL       ${outputs.url}`,
    `  Auth      ${outputs.authUrl}`,
    `  Account   ${outputs.accountUrl}`,
    `  Plugins   ${formatPlugins(plan)}`,
    `  Email     ${describeTransport(plan.emailTransport)}`,
    ...Object.entries(socialCallbacks(plan)).map(
      ([id, url], i, all) =>
        `  ${i === 0 ? "Callback" : "        "}  ${id.padEnd(Math.max(7, ...all.map(([k]) => k.length)))} ${url}`,
    ),
    ...(plan.oauthProxy?.role === "preview"
      ? [`  Social    through ${plan.oauthProxy.stableUrl} (oauthProxy)`]
      : []),
    ...(plan.oauthProxy?.role === "stable"
      ? [
          `  Previews  forwards social sign-ins to ${plan.oauthProxy.previewOrigins.join(", ") || "none"} (oauthProxy)`,
        ]
      : []),
    `  Outputs   ${outputsFile}`,
  ].join("\n");
}
