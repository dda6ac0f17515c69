/** A production stage in local mode: --destroy keeps its local D1 file (and data) unless --force. */
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { localD1Files, localDatabaseId, stateDir } from "../../src/provision/local-files.ts";
import { Session } from "../support/http.ts";
import { querySqlite, ROOT, runProgram, startStack, uniqueStage } from "../support/stack.ts";
import { writeConfig } from "./deploy-support.ts";

const APP = "deploy-prod-local";
const stage = uniqueStage("lprod");
let config: string;

afterAll(async () => {
  if (config) await runProgram(["--destroy", "--force", "--stage", stage, "--config", config]);
});

const sqliteFiles = async (id: string) => (await localD1Files(ROOT, id)).filter((f) => f.endsWith(".sqlite"));

describe("a local production stage", () => {
  it("keeps its database through --destroy, serves the same users after, and --force removes it", async () => {
    config = await writeConfig("prod-local.config.ts", { app: APP, productionStages: [stage] });
    const email = `ada-${stage}@example.com`;
    let stack = await startStack(stage, { args: ["--config", config] });
    const signUp = await new Session(stack.url).post("/auth/v1/sign-up/email", {
      email,
      password: "correct horse battery",
      name: "Ada",
    });
    expect(signUp.status).toBe(200);
    await stack.stop();
    const id = (await localDatabaseId(ROOT, APP, stage)) as string;
    const [file] = await sqliteFiles(id);

    const destroyed = await runProgram(["--destroy", "--stage", stage, "--config", config]);
    expect(destroyed.code, destroyed.output).toBe(0);
    expect(destroyed.output).toContain(`Stage ${stage} destroyed, except its data:`);
    expect(destroyed.output).toContain(`kept: D1 database ${APP}-${stage}-db`);
    expect(existsSync(path.join(ROOT, ".authform", `${stage}.json`))).toBe(false);
    expect(await querySqlite(file as string, "SELECT email FROM user")).toEqual([{ email }]);

    stack = await startStack(stage, { args: ["--config", config] });
    try {
      const signIn = await new Session(stack.url).post("/auth/v1/sign-in/email", {
        email,
        password: "correct horse battery",
      });
      expect(signIn.status).toBe(200);
      expect(await sqliteFiles((await localDatabaseId(ROOT, APP, stage)) as string)).toEqual([file]);
    } finally {
      await stack.stop();
    }

    const forced = await runProgram(["--destroy", "--force", "--stage", stage, "--config", config]);
    expect(forced.code, forced.output).toBe(0);
    expect(forced.output).toContain(`Stage ${stage} destroyed: no state, no database, no outputs left.`);
    expect(await sqliteFiles(id)).toEqual([]);
    expect(existsSync(stateDir(ROOT, APP, stage))).toBe(false);
  });
});
