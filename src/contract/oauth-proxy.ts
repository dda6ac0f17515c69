/**
 * Social sign-in for previews through a stable stage (auth.oauthProxy; docs/social-previews.md):
 * the vars the plan gives the Worker and the allow-list of origins a forwarded sign-in may go to.
 * The plan writes the list; the stable stage's Worker reads it, so both use this one matcher.
 */

/** The secret the stable stage and its previews share to seal a forwarded sign-in (a Worker secret). */
export const OAUTH_PROXY_SECRET_VAR = "AUTHFORM_OAUTH_PROXY_SECRET";
/** The stable stage's origin: the providers send every stage's sign-in there. */
export const OAUTH_PROXY_STABLE_URL_VAR = "AUTHFORM_OAUTH_PROXY_STABLE_URL";
/** The stable stage only: comma-separated origins (or `-pr-*` patterns) it forwards sign-ins to. */
export const OAUTH_PROXY_PREVIEWS_VAR = "AUTHFORM_OAUTH_PROXY_PREVIEWS";

/** A shared secret shorter than this is refused: it guards every preview's sign-ins. */
export const OAUTH_PROXY_SECRET_MIN_LENGTH = 32;

/** The only wildcard a pattern may hold: a pull request number in `<app>-pr-*.<subdomain>.workers.dev`. */
const PR_NUMBER = "[1-9][0-9]{0,8}";

/** The pattern of this app's pull-request previews on workers.dev (.github/workflows/preview.yml). */
export function prPreviewPattern(app: string, workersSubdomain: string): string {
  return `https://${app}-pr-*.${workersSubdomain}.workers.dev`;
}

/**
 * Whether `url`'s origin is one of `entries`: an exact origin, or a pattern whose one `*` stands
 * for a pull request number and nothing else (no dots, letters or dashes), so a lookalike such as
 * `https://app-pr-1.evil.workers.dev` or `https://app-pr-1x.sub.workers.dev` is not.
 */
export function previewOriginAllowed(url: string, entries: readonly string[]): boolean {
  let origin: string;
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) return false;
    origin = parsed.origin;
  } catch {
    return false;
  }
  return entries.some((entry) => {
    if (!entry.includes("*")) return entry === origin;
    const [before, after] = entry.split("*") as [string, string];
    return new RegExp(`^${escapeRegExp(before)}${PR_NUMBER}${escapeRegExp(after)}$`).test(origin);
  });
}

/** The var's entries: trimmed, empty ones dropped. */
export function parsePreviewOrigins(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}
