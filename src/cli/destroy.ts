/** --destroy: removes a stage, then checks that nothing of it is left, since Alchemy does not say. */

import { rm } from "node:fs/promises";
import path from "node:path";
import type { Mode } from "../plan/types.ts";
import type { KeptResource } from "../provision/database.ts";
import {
  localD1Files,
  localDatabaseId,
  remainingStateFiles,
  removeEmptyStateDir,
  removeFiles,
} from "../provision/local-files.ts";
import type { RemainingResource } from "../provision/state-store.ts";
import { outboxDir } from "./outbox.ts";
import { removeOutputs } from "./outputs.ts";

export interface DestroyTarget {
  app: string;
  stage: string;
  mode: Mode;
  root: string;
  /** A production stage keeps its database (and generated secrets) unless `force`. */
  production?: boolean;
  force?: boolean;
}

/** What the Alchemy run reports back: its failure, what it kept, what else its state still holds. */
export interface DestroyOutcome {
  failure?: unknown;
  kept: KeptResource[];
  remaining: RemainingResource[];
}

export async function destroyStage(
  target: DestroyTarget,
  destroy: () => Promise<DestroyOutcome>,
): Promise<number> {
  const { app, stage, root } = target;
  const local = target.mode === "local";
  const keepData = target.production === true && target.force !== true;
  const databaseId = await localDatabaseId(root, app, stage);
  console.log(`Destroying stage ${stage} of ${app}…`);
  const outcome = await destroy().catch(
    (err: unknown): DestroyOutcome => ({ failure: err, kept: [], remaining: [] }),
  );
  const { failure, kept, remaining } = outcome;
  const keptFiles = new Set(kept.map((k) => `${k.id}.json`));
  if (databaseId && local && !keepData) {
    // Alchemy 0.94 leaves the local D1 file behind; the stage is not gone until it is.
    await removeFiles(await localD1Files(root, databaseId));
  }
  const leftFiles = local
    ? [
        ...(await remainingStateFiles(root, app, stage)).filter((f) => !keptFiles.has(path.basename(f))),
        ...(databaseId && !keepData ? await localD1Files(root, databaseId) : []),
      ]
    : [];
  if (failure || remaining.length > 0 || leftFiles.length > 0) {
    console.error(`Stage ${stage} was not fully destroyed.`);
    if (failure) console.error(`  cause: ${(failure as Error).message ?? failure}`);
    for (const r of remaining) console.error(`  left: ${describeResource(r)}`);
    for (const file of leftFiles) console.error(`  left: ${file}`);
    console.error("Fix the cause and run --destroy again.");
    return 1;
  }
  await removeEmptyStateDir(root, app, stage);
  await rm(path.join(root, ".authform", "generated", stage), { recursive: true, force: true });
  // The local outbox holds the stage's sign-in codes and links.
  await rm(outboxDir(root, stage), { recursive: true, force: true });
  await removeOutputs(root, stage);
  if (kept.length > 0) {
    console.log(
      [
        `Stage ${stage} destroyed, except its data:`,
        ...kept.map((k) => `  kept: ${describeResource(k)}`),
        `  ${stage} is a production stage (runtime.productionStages): its database, and the generated`,
        "  secrets its data is signed and encrypted with, stay. The next deploy of the stage carries on",
        `  with them. To delete them too: --destroy --stage ${stage} --force`,
      ].join("\n"),
    );
    return 0;
  }
  console.log(`Stage ${stage} destroyed: no state, no database, no outputs left.`);
  return 0;
}

const KIND_NAMES: Record<string, string> = {
  "cloudflare::Worker": "Worker",
  "authform::Worker": "Worker",
  "cloudflare::D1Database": "D1 database",
  "cloudflare::KVNamespace": "KV namespace",
  "authform::KVNamespace": "KV namespace",
  "random::String": "generated secret",
  "authform::SesIdentity": "SES identity",
  "cloudflare::DnsRecords": "DNS records",
  "cloudflare::CustomDomain": "custom domain",
  "cloudflare::Route": "Worker route",
};

function describeResource(r: RemainingResource & { cloudId?: string }): string {
  const kind = KIND_NAMES[r.kind] ?? r.kind;
  const name = r.name ? ` ${r.name}` : "";
  const cloudId = r.cloudId && r.cloudId !== r.name ? ` ${r.cloudId}` : "";
  return `${kind}${name}${cloudId} (state: ${r.id})`;
}
