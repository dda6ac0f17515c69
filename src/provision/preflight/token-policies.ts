/**
 * The token's own policies (Cloudflare's "Token Details": `GET /user/tokens/{id}`, or
 * `/accounts/{account}/tokens/{id}` for an account-owned token), and whether they grant a permission
 * on the account or on a zone. Readable only when the token holds "API Tokens Read" ("Account API
 * Tokens Read"); without it the preflight falls back to reads.
 */
import type { NeededPermission } from "./needed-permissions.ts";

export interface TokenPolicy {
  effect: "allow" | "deny";
  resources: Record<string, unknown>;
  permission_groups: { id?: string; name?: string }[];
}

/** The policies in a Token Details answer, or undefined when it holds none we can read. */
export function policiesOf(result: unknown): TokenPolicy[] | undefined {
  const policies = (result as { policies?: unknown } | undefined)?.policies;
  if (!Array.isArray(policies)) return undefined;
  return policies.filter(
    (p): p is TokenPolicy =>
      typeof p === "object" &&
      p !== null &&
      (p.effect === "allow" || p.effect === "deny") &&
      typeof p.resources === "object" &&
      Array.isArray(p.permission_groups),
  );
}

const ACCOUNT = "com.cloudflare.api.account.";
const ZONE = "com.cloudflare.api.account.zone.";

/** Does a policy's `resources` cover the account, or the zone (by id) in the account? */
function covers(resources: Record<string, unknown>, account: string, zoneId?: string): boolean {
  const accountKeys = [`${ACCOUNT}${account}`, `${ACCOUNT}*`];
  if (zoneId === undefined) return accountKeys.some((k) => k in resources);
  const zoneKeys = [`${ZONE}${zoneId}`, `${ZONE}*`];
  if (zoneKeys.some((k) => k in resources)) return true;
  // "All zones from an account": the account's key holding the zones it includes.
  return accountKeys.some((k) => {
    const nested = resources[k];
    return typeof nested === "object" && nested !== null && zoneKeys.some((z) => z in nested);
  });
}

/** True when an allow policy grants one of the permission's groups there and no deny policy takes it away. */
export function grants(
  policies: TokenPolicy[],
  needed: NeededPermission,
  account: string,
  zoneId?: string,
): boolean {
  const matching = policies.filter(
    (p) =>
      covers(p.resources, account, zoneId) &&
      p.permission_groups.some((g) => g.name !== undefined && needed.groups.includes(g.name)),
  );
  return matching.some((p) => p.effect === "allow") && !matching.some((p) => p.effect === "deny");
}
