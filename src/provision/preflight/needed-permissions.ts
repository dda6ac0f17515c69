/**
 * The token permissions a plan needs, each by the name Cloudflare's dashboard shows ("Account · D1 ·
 * Edit") and the permission group names its API reports for a token ("D1 Write"; the dashboard's
 * "Edit" is the API's "Write"), with the read each one can be probed by when the token's own
 * permission groups cannot be read.
 */

export interface NeededPermission {
  /** As the dashboard's token editor shows it; the name the preflight prints. */
  dashboard: string;
  /** Permission group names (API) any one of which grants it. */
  groups: string[];
  /** Account-wide, or on one zone (its name). */
  scope: { kind: "account" } | { kind: "zone"; zone: string };
  /** A GET the permission opens, for when the token's groups are not readable (account scope only). */
  probe?: (account: string) => string;
}

const edit = (name: string): string[] => [`${name} Write`, `${name} Edit`];

export const WORKERS_SCRIPTS: NeededPermission = {
  dashboard: "Account · Workers Scripts · Edit",
  groups: edit("Workers Scripts"),
  scope: { kind: "account" },
  probe: (acct) => `${acct}/workers/scripts`,
};

export const D1: NeededPermission = {
  dashboard: "Account · D1 · Edit",
  groups: edit("D1"),
  scope: { kind: "account" },
  probe: (acct) => `${acct}/d1/database?per_page=1`,
};

export const WORKERS_KV: NeededPermission = {
  dashboard: "Account · Workers KV Storage · Edit",
  groups: edit("Workers KV Storage"),
  scope: { kind: "account" },
  probe: (acct) => `${acct}/storage/kv/namespaces?per_page=1`,
};

/** Webhooks: the delivery and dead-letter queues, and the Worker's consumers of them. */
export const QUEUES: NeededPermission = {
  dashboard: "Account · Queues · Edit",
  groups: edit("Queues"),
  scope: { kind: "account" },
  probe: (acct) => `${acct}/queues?per_page=1`,
};

export const EMAIL_SENDING: NeededPermission = {
  dashboard: "Account · Email Sending · Edit",
  groups: edit("Email Sending"),
  scope: { kind: "account" },
};

export function zonePermissions(zone: string): NeededPermission[] {
  const scope = { kind: "zone", zone } as const;
  return [
    { dashboard: `Zone · Zone · Read (${zone})`, groups: ["Zone Read", ...edit("Zone")], scope },
    { dashboard: `Zone · Workers Routes · Edit (${zone})`, groups: edit("Workers Routes"), scope },
    { dashboard: `Zone · DNS · Edit (${zone})`, groups: edit("DNS"), scope },
  ];
}
