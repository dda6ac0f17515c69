/** Where a page may send the browser after signing in: same-origin paths or the stack's own origins, never elsewhere. */

/** The page a signed-in user lands on when there is no (acceptable) redirect. */
export const DEFAULT_AFTER_SIGN_IN = "/account";

/**
 * The absolute URL to go to for a `?redirect=` value, or `fallback` when the value is missing or
 * points anywhere but this origin or one of `trustedOrigins` (BETTER_AUTH_URL, ACCOUNT_URL, APP_URL, runtime.trustedOrigins).
 * Parsing with the URL parser, as the browser will, defeats `//evil.com`, `/\evil.com`, tabs and
 * newlines inside the scheme, `javascript:` and their percent-encoded cousins.
 */
export function safeRedirect(
  raw: string | null | undefined,
  here: string,
  trustedOrigins: readonly string[],
  fallback = DEFAULT_AFTER_SIGN_IN,
): string {
  const home = new URL(fallback, here).href;
  if (!raw) return home;
  const value = raw.trim();
  // Control characters are stripped by the URL parser (so "java\tscript:" is "javascript:"); refuse them outright.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
  if (value === "" || /[\u0000-\u001f\u007f]/.test(value)) return home;
  let url: URL;
  try {
    url = new URL(value, here);
  } catch {
    return home;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return home;
  if (url.username !== "" || url.password !== "") return home;
  const allowed = new Set([new URL(here).origin, ...trustedOrigins.flatMap(originOf)]);
  return allowed.has(url.origin) ? url.href : home;
}

function originOf(value: string): string[] {
  try {
    return [new URL(value).origin];
  } catch {
    return [];
  }
}
