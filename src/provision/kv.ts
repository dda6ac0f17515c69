/** The stage's Workers KV namespace (defineStorage("cloudflare-kv")): Better Auth's secondary storage. */
import { createHash, createHmac } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { KVNamespace } from "alchemy/cloudflare";
import type { DeploymentPlan } from "../plan/types.ts";

/**
 * Declared only when the config has `providers.storage`. Without it the namespace is an orphan
 * that the run deletes: KV holds copies only, D1 keeps every session, counter and single-use value.
 *
 * The resource id is the stage's physical name, not a fixed "kv": in local mode Alchemy 0.94 keys
 * the Miniflare KV store by the resource id, so a fixed id would make every stage on the machine
 * share (and on destroy, delete) one local KV store.
 */
export function provisionKv(plan: DeploymentPlan) {
  const name = plan.names.kv;
  if (!name) return undefined;
  return KVNamespace(name, { title: name });
}

/** The KV namespace's name for a stage: planDeployment's `names.kv`, also when the plan has none. */
export function kvNamespaceName(plan: Pick<DeploymentPlan, "app" | "stage">): string {
  return `${plan.app}-${plan.stage}-kv`;
}

const KV_DIR = path.join(".alchemy", "miniflare", "v3", "kv");
const KV_OBJECT = "miniflare-KVNamespaceObject";

/** Miniflare's files for a local KV namespace: its SQLite index (named as for D1) and its blob folder. */
export async function localKvFiles(root: string, namespaceId: string): Promise<string[]> {
  const key = createHash("sha256").update(KV_OBJECT).digest();
  const prefix = createHmac("sha256", key).update(namespaceId).digest().subarray(0, 16).toString("hex");
  const indexDir = path.join(root, KV_DIR, KV_OBJECT);
  const index = await readdir(indexDir).catch(() => [] as string[]);
  const blobDir = path.join(root, KV_DIR, namespaceId);
  const blobs = await readdir(blobDir).catch(() => undefined);
  return [
    ...index.filter((f) => f.startsWith(prefix)).map((f) => path.join(indexDir, f)),
    ...(blobs ? [blobDir] : []),
  ];
}

/**
 * Alchemy 0.94's KVNamespace returns from its local branch before its delete branch, so deleting
 * one in local mode (turning storage off, --destroy) leaves its data on disk — and turning storage
 * on again would bring back sessions revoked in between. Called once the namespace is no longer
 * declared, this removes what Alchemy left.
 */
export async function removeLocalKv(plan: Pick<DeploymentPlan, "app" | "stage" | "mode">, root: string) {
  if (plan.mode !== "local") return;
  const files = await localKvFiles(root, kvNamespaceName(plan));
  await Promise.all(files.map((f) => rm(f, { recursive: true, force: true })));
}
