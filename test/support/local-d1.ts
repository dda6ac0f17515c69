/** The SQLite file behind a local stage's D1, for tests that check rows the way an operator would. */
import { localD1Files, localDatabaseId } from "../../src/provision/local-files.ts";
import { ROOT } from "./stack.ts";

export async function localD1File(app: string, stage: string): Promise<string> {
  const databaseId = await localDatabaseId(ROOT, app, stage);
  if (!databaseId) throw new Error(`no local D1 recorded for ${app}/${stage}`);
  const [file] = (await localD1Files(ROOT, databaseId)).filter((f) => f.endsWith(".sqlite"));
  if (!file) throw new Error(`no local D1 file for ${app}/${stage}`);
  return file;
}
