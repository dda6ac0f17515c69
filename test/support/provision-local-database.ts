/**
 * `bun test/support/provision-local-database.ts <stage> <migrationsDir>`: one local run of authform's
 * database step alone (provisionDatabase in an Alchemy local scope, state and D1 under the working
 * directory), for tests of what a run migrates. Prints the local D1 id as JSON.
 */
import alchemy from "alchemy";
import { LOCAL_ALCHEMY_PASSWORD } from "../../src/cli/environment.ts";
import { defineAuth, defineConfig } from "../../src/config/define.ts";
import { parseConfig } from "../../src/config/parse.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";
import { provisionDatabase } from "../../src/provision/database.ts";
import { createStateStore } from "../../src/provision/state-store.ts";

const [stage, migrationsDir] = process.argv.slice(2);
if (!stage || !migrationsDir) throw new Error("usage: provision-local-database.ts <stage> <migrationsDir>");

const config = parseConfig(
  defineConfig({
    name: "local-migrations",
    providers: { auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }) },
  }),
);
const plan = planDeployment({ config, env: {}, stage, mode: "local", port: 8787 });
const scope = await alchemy(plan.app, {
  stage,
  phase: "up",
  local: true,
  password: LOCAL_ALCHEMY_PASSWORD,
  noTrack: true,
  stateStore: await createStateStore("file", {}),
});
const database = await provisionDatabase(plan, migrationsDir);
await scope.finalize();
console.log(JSON.stringify({ databaseId: database.dev?.id }));
