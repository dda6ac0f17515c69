/** The steps of a deploy as a person knows them: which Alchemy resource kind is which step, on which service, needing which token permission. */

export type DeployStepName =
  | "database"
  | "secrets"
  | "ses-identity"
  | "ses-dns"
  | "kv"
  | "webhooks"
  | "worker"
  | "domains"
  | "routes";

export interface DeployStep {
  name: DeployStepName;
  /** What the step makes, in a sentence: "the D1 database". */
  label: string;
  /** Who the step talks to: a refusal or an outage is theirs. */
  service: "Cloudflare" | "AWS SES" | "none";
  /** The API token permissions the step needs, as Cloudflare's dashboard names them. */
  permissions: string[];
}

/** One entry per resource kind a deploy declares; the catalogue preflight and failure reports both read. */
const STEPS: Record<string, DeployStep> = {
  "cloudflare::D1Database": {
    name: "database",
    label: "the D1 database",
    service: "Cloudflare",
    permissions: ["Account · D1 · Edit"],
  },
  "random::String": {
    name: "secrets",
    label: "the generated secrets",
    service: "none",
    permissions: [],
  },
  "authform::SesIdentity": {
    name: "ses-identity",
    label: "the SES sending identity",
    service: "AWS SES",
    permissions: [],
  },
  "cloudflare::DnsRecords": {
    name: "ses-dns",
    label: "the SES DKIM records",
    service: "Cloudflare",
    permissions: ["Zone · DNS · Edit"],
  },
  // Ours (src/provision/kv-namespace.ts), wrapping Alchemy's; older stages still hold Alchemy's kind.
  "authform::KVNamespace": {
    name: "kv",
    label: "the KV namespace",
    service: "Cloudflare",
    permissions: ["Account · Workers KV Storage · Edit"],
  },
  "cloudflare::KVNamespace": {
    name: "kv",
    label: "the KV namespace",
    service: "Cloudflare",
    permissions: ["Account · Workers KV Storage · Edit"],
  },
  // Webhooks (src/provision/webhook-queues.ts): the queues before the Worker that binds them…
  "cloudflare::Queue": {
    name: "webhooks",
    label: "the webhook queue",
    service: "Cloudflare",
    permissions: ["Account · Queues · Edit"],
  },
  // Ours for deploys (src/provision/upload-on-change-worker.ts); local runs keep Alchemy's.
  "authform::Worker": {
    name: "worker",
    label: "the Worker",
    service: "Cloudflare",
    permissions: ["Account · Workers Scripts · Edit"],
  },
  "cloudflare::Worker": {
    name: "worker",
    label: "the Worker",
    service: "Cloudflare",
    permissions: ["Account · Workers Scripts · Edit"],
  },
  // …and the Worker's consumers of them after it (Alchemy makes them inside the Worker's step).
  "cloudflare::QueueConsumer": {
    name: "webhooks",
    label: "the webhook queue consumer",
    service: "Cloudflare",
    permissions: ["Account · Queues · Edit"],
  },
  "cloudflare::CustomDomain": {
    name: "domains",
    label: "the custom domain",
    service: "Cloudflare",
    permissions: ["Zone · Workers Routes · Edit", "Zone · DNS · Edit"],
  },
  "cloudflare::Route": {
    name: "routes",
    label: "the Worker route",
    service: "Cloudflare",
    permissions: ["Zone · Workers Routes · Edit"],
  },
};

export function deployStepOf(kind: string): DeployStep | undefined {
  return STEPS[kind];
}

/** Where a resource kind comes in a deploy (the catalogue is in deploy order); unknown kinds last. */
export function deployOrderOf(kind: string): number {
  const index = Object.keys(STEPS).indexOf(kind);
  return index === -1 ? Number.MAX_SAFE_INTEGER : index;
}

/** Where a person edits or creates a token. */
export const API_TOKENS_PAGE = "https://dash.cloudflare.com/profile/api-tokens";
