/** --destroy: removes a stage, then checks that nothing of it is left, since Alchemy does not say. */

import { rm } from "node:fs/promises";
import path from "node:path";
import type { Mode } from "../plan/env-vars.ts";
import {
  localD1Files,
  localDatabaseId,
  remainingStateFiles,
  removeEmptyStateDir,
  removeFiles,
} from "../provision/local-files.ts";
import { removeOutputs } from "./outputs.ts";

export interface DestroyTarget {
  app: string;
  stage: string;
  mode: Mode;
  root: string;
}

export async function destroyStage(target: DestroyTarget, destroy: () => Promise<void>): Promise<number> {
  const { app, stage, root } = target;
  const databaseId = await localDatabaseId(root, app, stage);
  console.log(`Destroying stage ${stage} of ${app}…`);
  let failure: unknown;
  await destroy().catch((err) => {
    failure = err;
  });
  if (databaseId && target.mode === "local") {
    // Alchemy 0.94 leaves the local D1 file behind; the stage is not gone until it is.
    await removeFiles(await localD1Files(root, databaseId));
  }
  const left = [
    ...(await remainingStateFiles(root, app, stage)),
    ...(databaseId && target.mode === "local" ? await localD1Files(root, databaseId) : []),
  ];
  if (failure || left.length > 0) {
    console.error(`Stage ${stage} was not fully destroyed.`);
    if (failure) console.error(`  cause: ${(failure as Error).message ?? failure}`);
    for (const file of left) console.error(`  left: ${file}`);
    console.error("Fix the cause and run --destroy again.");
    return 1;
  }
  await removeEmptyStateDir(root, app, stage);
  await rm(path.join(root, ".authform", "generated", stage), { recursive: true, force: true });
  await removeOutputs(root, stage);
  console.log(`Stage ${stage} destroyed: no state, no database, no outputs left.`);
  return 0;
}
