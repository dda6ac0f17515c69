/**
 * The stand-in's API token: which Cloudflare permission groups it holds (by their API names, "D1 Write"),
 * which calls each group opens, and the token as `GET /user/tokens/{id}` (or the account-owned
 * `/accounts/{id}/tokens/{id}`) answers it: `policies[]` of `{ id, effect, resources, permission_groups[] }`.
 */
import { createHash } from "node:crypto";

/** The deploy's calls, by the permission group that opens them. A GET needs "<group> Read" or "<group> Write"; anything else "<group> Write". */
const GROUP_PATHS: { group: string; path: RegExp }[] = [
  { group: "D1", path: /^\/accounts\/[^/]+\/d1\// },
  { group: "Workers KV Storage", path: /^\/accounts\/[^/]+\/storage\/kv\// },
  { group: "Queues", path: /^\/accounts\/[^/]+\/queues(\/|$)/ },
  {
    group: "Workers Scripts",
    path: /^\/accounts\/[^/]+\/workers\/(scripts|services|subdomain|domains)(\/|$)/,
  },
  { group: "Workers Routes", path: /^\/zones\/[^/]+\/workers\/routes/ },
  { group: "DNS", path: /^\/zones\/[^/]+\/dns_records/ },
  { group: "Zone", path: /^\/zones$/ },
  { group: "Email Sending", path: /^\/zones\/[^/]+\/email\/sending\// },
  { group: "API Tokens", path: /^\/user\/tokens\/(?!verify$)[^/]+$/ },
  { group: "Account API Tokens", path: /^\/accounts\/[^/]+\/tokens\/(?!verify$)[^/]+$/ },
];

/** Groups whose resources are zones; the others are the account's (API Tokens: the user's). */
const ZONE_GROUPS = new Set(["Workers Routes", "DNS", "Zone"]);

/** What a deploy token holds when a test says nothing: everything a deploy writes, its policies not readable. */
export const DEPLOY_PERMISSIONS = [
  "Workers Scripts Write",
  "D1 Write",
  "Workers KV Storage Write",
  "Queues Write",
  "Workers Routes Write",
  "DNS Write",
  "Zone Read",
  "Email Sending Write",
];

/** True when `permissions` let the token make this call; false is Cloudflare's 403 [10000]. */
export function allows(permissions: readonly string[], method: string, path: string): boolean {
  const rule = GROUP_PATHS.find((r) => r.path.test(path));
  if (!rule) return true;
  if (permissions.includes(`${rule.group} Write`)) return true;
  return (method === "GET" || method === "HEAD") && permissions.includes(`${rule.group} Read`);
}

export const TOKEN_ID = "f267e341f3dd4697bd3b9f71dd96247f";
const USER_ID = "7c5dae5552338874e5053f2534d2767a";

/** The token's details as Cloudflare's "Token Details" answers: one policy for the account, one for all zones, one for the user. */
export function tokenDetails(permissions: readonly string[], accountId: string): Record<string, unknown> {
  const group = (name: string) => ({ id: createHash("md5").update(name).digest("hex"), name });
  const base = (name: string) => name.replace(/ (Read|Write)$/, "");
  const user = permissions.filter((p) => base(p) === "API Tokens");
  const zone = permissions.filter((p) => ZONE_GROUPS.has(base(p)));
  const account = permissions.filter((p) => !user.includes(p) && !zone.includes(p));
  const policies = [
    { resources: { [`com.cloudflare.api.account.${accountId}`]: "*" }, groups: account },
    { resources: { "com.cloudflare.api.account.zone.*": "*" }, groups: zone },
    { resources: { [`com.cloudflare.api.user.${USER_ID}`]: "*" }, groups: user },
  ]
    .filter((p) => p.groups.length > 0)
    .map((p, i) => ({
      id: createHash("md5").update(`policy:${i}`).digest("hex"),
      effect: "allow",
      resources: p.resources,
      permission_groups: p.groups.map(group),
    }));
  const now = "2026-01-01T00:00:00Z";
  return {
    id: TOKEN_ID,
    name: "authform deploy",
    status: "active",
    issued_on: now,
    modified_on: now,
    last_used_on: now,
    condition: {},
    policies,
  };
}
