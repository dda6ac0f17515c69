/**
 * Counts a stage's password users in its D1 (src/plan/sign-in-removal.ts says which are stranded):
 * local mode reads the SQLite file workerd keeps under .alchemy/, deploy mode asks D1's query API.
 */
import { createCloudflareApi } from "alchemy/cloudflare";
import { type PasswordUsers, passwordUsersSql } from "../plan/sign-in-removal.ts";
import type { DeploymentPlan } from "../plan/types.ts";
import { localD1Files } from "./local-files.ts";
import { type ReadOptions, readStageResource } from "./stage-state.ts";

type Counts = { withPassword: number; stranded: number };

/** The counts, a reason they are unavailable, or undefined when the stage has no database yet. */
export async function countPasswordUsers(
  plan: Pick<DeploymentPlan, "app" | "stage" | "mode" | "plugins">,
  options: ReadOptions & { root: string },
): Promise<PasswordUsers | undefined> {
  try {
    const state = await readStageResource(plan, options, "database");
    if (!state) return undefined;
    const output = state.output as { id?: unknown; dev?: { id?: unknown } } | undefined;
    const sql = passwordUsersSql(plan);
    if (plan.mode === "local") {
      const id = output?.dev?.id;
      if (typeof id !== "string") return "no local database id in state";
      const [file] = (await localD1Files(options.root, id)).filter((f) => f.endsWith(".sqlite"));
      return file ? await querySqliteFile(file, sql) : "the local database file is missing";
    }
    if (typeof output?.id !== "string") return "no database id in state";
    return await queryD1(output.id, sql);
  } catch (err) {
    return err instanceof Error ? err.message.split("\n")[0] : String(err);
  }
}

/** Under Bun (the CLI's runtime), read-only so a running workerd's file is left alone. */
async function querySqliteFile(file: string, sql: string): Promise<Counts> {
  // A variable specifier: bun:sqlite exists only under Bun, and Node's type checker has no types for it.
  const specifier = "bun:sqlite";
  const { Database } = (await import(specifier)) as {
    Database: new (
      file: string,
      options: { readonly: boolean },
    ) => { query(sql: string): { get(): Counts }; close(): void };
  };
  const db = new Database(file, { readonly: true });
  try {
    return toCounts(db.query(sql).get());
  } finally {
    db.close();
  }
}

async function queryD1(databaseId: string, sql: string): Promise<Counts | string> {
  const api = await createCloudflareApi();
  const res = await api.post(`/accounts/${api.accountId}/d1/database/${databaseId}/query`, { sql });
  if (!res.ok) return `D1 query answered ${res.status}`;
  const body = (await res.json()) as { result?: { results?: Counts[] }[] };
  const row = body.result?.[0]?.results?.[0];
  return row ? toCounts(row) : "D1 query returned no row";
}

function toCounts(row: Counts): Counts {
  return { withPassword: Number(row.withPassword), stranded: Number(row.stranded) };
}
