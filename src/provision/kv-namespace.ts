/**
 * `authform::KVNamespace`: Alchemy 0.94's KVNamespace, whose local delete also removes the data.
 *
 * Alchemy's handler returns from its local branch before its delete branch, so deleting a local
 * namespace (turning storage off, --destroy) left its data on disk — and turning storage on again
 * would bring back sessions revoked in between. This resource deletes a local namespace's files
 * itself and hands every other phase, and every deploy-mode delete, to Alchemy's handler.
 */
import { createHash, createHmac } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { type Context, PROVIDERS, Resource, ResourceKind, Scope } from "alchemy";
// Loaded for its side effect: it registers Alchemy's cloudflare::KVNamespace provider, wrapped here.
import "alchemy/cloudflare";
import type { KVNamespace, KVNamespaceProps } from "alchemy/cloudflare";

const KIND = "authform::KVNamespace";
const ALCHEMY_KIND = "cloudflare::KVNamespace";

/**
 * A KV namespace titled `title` (the plan's `names.kv`). Its props are the ones Alchemy's own
 * KVNamespace passes, so a namespace deployed before this resource reads as unchanged.
 */
export function KvNamespace(id: string, { title }: { title: string }): Promise<KVNamespace> {
  return KvNamespaceResource(id, { title, dev: { force: Scope.current.local } });
}

const KvNamespaceResource = Resource(
  KIND,
  async function (this: Context<KVNamespace, KVNamespaceProps>, id: string, props: KVNamespaceProps) {
    if (this.phase === "delete" && this.scope.local && !this.props?.dev?.remote) {
      const files = await localKvFiles(this.scope.rootDir, this.output.dev?.id ?? id);
      await Promise.all(files.map((f) => rm(f, { recursive: true, force: true })));
      return this.destroy();
    }
    return (await alchemyHandler().call(this, id, props)) as KVNamespace;
  },
);

/** Alchemy's own KVNamespace lifecycle: read from its registry, never changed there. */
function alchemyHandler() {
  const provider = PROVIDERS.get(ALCHEMY_KIND);
  if (!provider) throw new Error(`alchemy/cloudflare registered no ${ALCHEMY_KIND} provider`);
  return provider.handler;
}

/**
 * Stages provisioned before this resource hold Alchemy's kind in state, whose delete would still
 * leave local data behind. Claimed as this resource's (kind only; props and output as they were),
 * so the next run skips them as unchanged, and deleting one — declared or orphaned — comes here.
 */
export async function claimAlchemyKvNamespaces(scope: Scope): Promise<void> {
  for (const [key, state] of Object.entries(await scope.state.all())) {
    if (state.kind !== ALCHEMY_KIND) continue;
    await scope.state.set(key, { ...state, kind: KIND, output: { ...state.output, [ResourceKind]: KIND } });
  }
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
