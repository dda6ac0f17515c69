/** The stage's Workers KV namespace (defineStorage("cloudflare-kv")): Better Auth's secondary storage. */
import type { DeploymentPlan } from "../plan/types.ts";
import { KvNamespace } from "./kv-namespace.ts";

/**
 * Declared only when the plan names one. Without it the namespace is an orphan that the run
 * deletes (locally too: kv-namespace.ts): KV holds copies only, D1 keeps every session, counter
 * and single-use value.
 *
 * The resource id is the stage's physical name, not a fixed "kv": in local mode Alchemy 0.94 keys
 * the Miniflare KV store by the resource id, so a fixed id would make every stage on the machine
 * share (and on destroy, delete) one local KV store.
 */
export function provisionKv(plan: Pick<DeploymentPlan, "names">) {
  const name = plan.names.kv;
  if (!name) return undefined;
  return KvNamespace(name, { title: name });
}
