/** Where a request carries an API key: the x-api-key header first, then ?api_key= or ?key=. */

/** The header wins: query strings end up in access logs and Referer headers, headers do not. */
export function apiKeyFromRequest(headers: Headers | undefined, url: string | undefined): string | null {
  const header = headers?.get("x-api-key");
  if (header) return header;
  if (!url) return null;
  const query = new URL(url).searchParams;
  return query.get("api_key") || query.get("key") || null;
}

/**
 * The Better Auth endpoints an API key may act on as its owner: reads only. A key is a script's
 * credential; account changes (new keys, passkeys, passwords, OAuth consent, org admin) need a
 * signed-in person, so a leaked key cannot turn itself into a permanent account takeover.
 */
export const KEY_SESSION_PATHS: ReadonlySet<string> = new Set([
  "/get-session",
  "/organization/list",
  "/organization/get-full-organization",
  "/organization/list-members",
]);
