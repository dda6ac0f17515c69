/** What one preflight check found, and the answers it reads: shared by the Cloudflare, Email Sending and SES checks. */

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

export interface CloudflareAnswer {
  status: number;
  body: { success?: boolean; errors?: { code?: number; message?: string }[]; result?: unknown };
}
