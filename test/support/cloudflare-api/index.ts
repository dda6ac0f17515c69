/** The loopback Cloudflare API stand-in for deploy contract tests: start it, point CLOUDFLARE_BASE_URL at it. */
export { type D1DatabaseObject, D1Store } from "./d1.ts";
export { type DnsRecordObject, DnsStore } from "./dns.ts";
export { DomainStore, type WorkerDomain, type ZoneObject } from "./domains.ts";
export { type KvEntry, type KvNamespaceObject, KvStore } from "./kv.ts";
export { type QueueConsumerObject, type QueueObject, QueueStore } from "./queues.ts";
export { RouteStore, type WorkerRouteObject } from "./routes.ts";
export {
  type AfterHandling,
  CloudflareApiStandIn,
  type RecordedRequest,
  type Refusal,
  type StandInOptions,
} from "./server.ts";
export { DEPLOY_PERMISSIONS, TOKEN_ID } from "./tokens.ts";
export { type WorkerBinding, type WorkerScript, WorkerStore, type WorkerUploadMetadata } from "./workers.ts";

import type { RecordedRequest } from "./server.ts";

/** Requests that change something on Cloudflare (anything but GET and HEAD). */
export function mutating(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => r.method !== "GET" && r.method !== "HEAD");
}

/** `METHOD /path` lines, for readable assertions. */
export function routesOf(requests: RecordedRequest[]): string[] {
  return requests.map((r) => `${r.method} ${r.path}`);
}
