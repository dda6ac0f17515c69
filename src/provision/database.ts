/** The stage's D1 database, with every migration in migrations/ applied (tracked in d1_migrations). */
import path from "node:path";
import { PROVIDERS, type Scope } from "alchemy";
import { D1Database } from "alchemy/cloudflare";
import type { DeploymentPlan } from "../plan/types.ts";

export function provisionDatabase(plan: DeploymentPlan, migrationsDir: string) {
  return D1Database("database", {
    name: plan.names.database,
    // Relative, so the same checkout on another machine (CI) gives the same props.
    migrationsDir: path.relative(process.cwd(), migrationsDir),
    // The plan's decision (scale-out in deploy mode). Off, the prop is left out, so a stage that
    // never had replicas keeps the props it was deployed with; Alchemy switches a removed one off.
    ...(plan.database.readReplication ? { readReplication: { mode: "auto" as const } } : {}),
  });
}

const D1_KIND = "cloudflare::D1Database";

/**
 * Alchemy 0.94's D1Database takes its local branch before its delete branch: deleting a local
 * database started workerd to apply every migration to it, to the file about to go (~0.15 s a
 * stage alone, more under load), and then left that file (src/cli/destroy.ts removes it). The
 * local branch migrates only when the props list migrations or imports: a local destroy clears
 * those in the state first, so the delete starts nothing. A database a destroy keeps is left as
 * it is: re-declared with its recorded props, it must read as unchanged (keepStageData).
 */
export async function skipMigrationsOnLocalDelete(scope: Scope): Promise<void> {
  for (const [key, state] of Object.entries(await scope.state.all())) {
    if (state.kind !== D1_KIND) continue;
    await scope.state.set(key, { ...state, props: { ...state.props, migrationsFiles: [], importFiles: [] } });
  }
}

/** Kinds that hold a production stage's data, or keys that data cannot be read without. */
const DATA_KINDS = new Set([
  D1_KIND,
  // Generated secrets (BETTER_AUTH_SECRET): sessions and encrypted keys in the database need them.
  "random::String",
  // The SES sending identity: deleting it un-verifies the domain (new DKIM records to publish,
  // no mail until DNS catches up), which a production stage's users would notice at once.
  "authform::SesIdentity",
  // Its DKIM CNAMEs (src/provision/ses-dns.ts, the only DnsRecords here): kept with the identity,
  // since a kept identity whose records are gone stops verifying and production mail stops.
  "cloudflare::DnsRecords",
]);

/** A resource a destroy kept, as the person is told about it. */
export interface KeptResource {
  id: string;
  kind: string;
  /** The cloud-side name, when it has one. */
  name?: string;
  /** Cloudflare's uuid (deploy mode) or the local D1 id (local mode). */
  cloudId?: string;
}

/**
 * Keeps a production stage's data through a destroy: its database and generated secrets are
 * declared again with the props they were deployed with. Unchanged, Alchemy skips them (no call
 * to Cloudflare) and, alive, finalize does not delete them; they stay in the stage's state, so
 * the next deploy of the stage carries on with the same database and the same keys.
 */
export async function keepStageData(scope: Scope): Promise<KeptResource[]> {
  const kept: KeptResource[] = [];
  for (const [id, state] of Object.entries(await scope.state.all())) {
    if (!DATA_KINDS.has(state.kind)) continue;
    const provider = PROVIDERS.get(state.kind);
    if (!provider) throw new Error(`no Alchemy provider for ${state.kind}`);
    await scope.run(() => provider(id, state.props ?? {}));
    const output = state.output as {
      name?: unknown;
      identity?: unknown;
      id?: unknown;
      dev?: { id?: unknown };
    };
    const name = [output.name, output.identity].find((v) => typeof v === "string" && v !== "");
    const cloudId = [output.id, output.dev?.id].find((v) => typeof v === "string" && v !== "");
    kept.push({
      id,
      kind: state.kind,
      ...(typeof name === "string" ? { name } : {}),
      ...(typeof cloudId === "string" ? { cloudId } : {}),
    });
  }
  return kept;
}
