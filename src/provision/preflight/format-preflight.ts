/** The preflight as a person reads it: one line per check, then the permissions to add and where. */
import { UserError } from "../../user-error.ts";
import { API_TOKENS_PAGE } from "../deploy-steps.ts";
import type { PreflightResult } from "./preflight-check.ts";

export function formatPreflight(result: PreflightResult): string {
  const lines = [`Preflight (read-only, GET requests only) against ${result.baseUrl}:`];
  let sesHeader = false;
  for (const c of result.checks) {
    if (c.service === "AWS SES" && !sesHeader) {
      lines.push("  AWS SES (read-only: GetAccount, GetEmailIdentity):");
      sesHeader = true;
    }
    lines.push(`  ${c.ok ? (c.warning ? "!" : "✓") : "✗"} ${c.label}${c.detail ? ` — ${c.detail}` : ""}`);
    if (c.fix) lines.push(`      ${c.fix}`);
  }
  const missing = result.checks.flatMap((c) => c.missingPermission ?? []);
  if (missing.length > 0) {
    lines.push(
      `The token lacks: ${missing.join(", ")}.`,
      `  Edit it (or create one from the "Edit Cloudflare Workers" template and add these) at ${API_TOKENS_PAGE}.`,
    );
  }
  lines.push(result.ok ? "Preflight passed." : "Preflight failed.");
  return lines.join("\n");
}

/** A deploy stopped by its preflight: nothing was sent but reads. */
export class PreflightError extends UserError {
  override name = "PreflightError";
  override readonly nothingProvisioned = true;
}
