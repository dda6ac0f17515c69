/** Where Alchemy's local mode keeps a stage's state and D1 data, so destroy can prove it removed them. */
import { createHash, createHmac } from "node:crypto";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";

export function stateDir(root: string, app: string, stage: string): string {
  return path.join(root, ".alchemy", app, stage);
}

const D1_OBJECT_DIR = path.join(".alchemy", "miniflare", "v3", "d1", "miniflare-D1DatabaseObject");

/** Miniflare names a D1 file by an HMAC of the database id (workers-sdk, plugins/shared durableObjectNamespaceIdFromName). */
export function localD1FilePrefix(databaseId: string): string {
  const key = createHash("sha256").update("miniflare-D1DatabaseObject").digest();
  return createHmac("sha256", key).update(databaseId).digest().subarray(0, 16).toString("hex");
}

export async function localD1Files(root: string, databaseId: string): Promise<string[]> {
  const dir = path.join(root, D1_OBJECT_DIR);
  const prefix = localD1FilePrefix(databaseId);
  const files = await readdir(dir).catch(() => [] as string[]);
  return files.filter((f) => f.startsWith(prefix)).map((f) => path.join(dir, f));
}

/** The local D1 id recorded in a stage's state, if the stage has a database. */
export async function localDatabaseId(root: string, app: string, stage: string): Promise<string | undefined> {
  const file = path.join(stateDir(root, app, stage), "database.json");
  const state = await readFile(file, "utf8").then(JSON.parse, () => undefined);
  return state?.output?.dev?.id;
}

/** State files still present for a stage (empty when the stage is fully gone). */
export async function remainingStateFiles(root: string, app: string, stage: string): Promise<string[]> {
  const dir = stateDir(root, app, stage);
  const files = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return files.filter((f) => f.endsWith(".json")).map((f) => path.join(dir, f));
}

/** Removes a stage's state folder once it holds no state file (Alchemy leaves the empty folder). */
export async function removeEmptyStateDir(root: string, app: string, stage: string): Promise<void> {
  if ((await remainingStateFiles(root, app, stage)).length === 0) {
    await rm(stateDir(root, app, stage), { recursive: true, force: true });
  }
}

export async function removeFiles(files: string[]): Promise<void> {
  await Promise.all(files.map((f) => rm(f, { force: true })));
}
