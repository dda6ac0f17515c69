/** Fault tolerance in local mode: SIGKILL a first deploy at several points, re-run, and it converges. */
import { type ChildProcess, spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  localD1FilePrefix,
  localD1Files,
  localDatabaseId,
  stateDir,
} from "../../src/provision/local-files.ts";
import { STALL_STATE_WRITE_VAR, STALLED_MARKER } from "../../src/provision/state-write-fault.ts";
import { Session } from "../support/http.ts";
import {
  freePort,
  localEnv,
  querySqlite,
  ROOT,
  type RunningStack,
  runProgram,
  startStack,
  uniqueStage,
} from "../support/stack.ts";
import { writeConfig } from "./deploy-support.ts";

const APP = "deploy-faults";
const BUN = path.join(ROOT, "node_modules", ".bin", "bun");
const stages: string[] = [];
let config: string;

afterAll(async () => {
  for (const stage of stages) await runProgram(["--destroy", "--stage", stage, "--config", config]);
});

async function resourceStatus(stage: string, id: string): Promise<string | undefined> {
  const text = await readFile(path.join(stateDir(ROOT, APP, stage), `${id}.json`), "utf8").catch(
    () => undefined,
  );
  if (!text) return undefined;
  try {
    return (JSON.parse(text) as { status?: string }).status;
  } catch {
    return "partial";
  }
}

/** Starts a first deploy and SIGKILLs it (and workerd) the moment `when` holds; resolves with what it saw. */
async function killWhen(
  stage: string,
  when: (output: string) => Promise<string | undefined>,
  env: NodeJS.ProcessEnv = localEnv(),
): Promise<string> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    BUN,
    ["alchemy.run.ts", "--stage", stage, "--port", String(port), "--config", config],
    {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 60_000;
  let seen: string | undefined;
  while (!seen) {
    if (child.exitCode !== null) throw new Error(`the program exited before the kill point:\n${output}`);
    if (Date.now() > deadline) break;
    seen = await when(output);
    if (!seen) await new Promise((r) => setTimeout(r, 2));
  }
  process.kill(-(child.pid as number), "SIGKILL");
  await exited;
  if (!seen) throw new Error(`kill point never reached:\n${output}`);
  return seen;
}

/** The migrations a local D1 file has recorded, and whether every table of the first migration exists. */
async function migrationState(file: string) {
  const tables = await querySqlite<{ name: string }>(
    file,
    "SELECT name FROM sqlite_master WHERE type = 'table'",
  );
  const names = tables.map((t) => t.name);
  const applied = names.includes("d1_migrations")
    ? (await querySqlite<{ name: string }>(file, "SELECT name FROM d1_migrations")).map((r) => r.name)
    : [];
  return {
    applied,
    hasAuthTables: ["user", "session", "account", "verification"].every((t) => names.includes(t)),
  };
}

async function migrationFiles(): Promise<string[]> {
  return (await readdir(path.join(ROOT, "migrations"))).filter((f) => f.endsWith(".sql")).sort();
}

/** Re-runs the stage to serving and checks it is one whole stack: one database, migrated once, working. */
async function expectConverged(stage: string) {
  let stack: RunningStack | undefined;
  try {
    stack = await startStack(stage, { args: ["--config", config] });
    const id = await localDatabaseId(ROOT, APP, stage);
    expect(id).toBeDefined();
    const files = (await localD1Files(ROOT, id as string)).filter((f) => f.endsWith(".sqlite"));
    expect(files, "one D1 database for the stage").toHaveLength(1);
    const state = await migrationState(files[0] as string);
    expect(state.applied).toEqual(await migrationFiles());
    expect(state.hasAuthTables).toBe(true);
    for (const id of ["database", "worker", "secret-better_auth_secret"]) {
      expect(await resourceStatus(stage, id), id).toMatch(/^(created|updated)$/);
    }
    const browser = new Session(stack.url);
    const signUp = await browser.post("/auth/v1/sign-up/email", {
      email: `ada-${stage}@example.com`,
      password: "correct horse battery",
      name: "Ada",
    });
    expect(signUp.status).toBe(200);
  } finally {
    await stack?.stop();
  }
}

describe("a first deploy killed with SIGKILL", () => {
  it("while its migration runs, leaves the database consistent and converges on the next run", async () => {
    config ??= await writeConfig("faults.config.ts", { app: APP });
    const stage = uniqueStage("kill");
    stages.push(stage);
    // Local D1 files are named from the database id, which on a first run is the database's name.
    const prefix = localD1FilePrefix(`${APP}-${stage}-db`);
    const dir = path.join(ROOT, ".alchemy", "miniflare", "v3", "d1", "miniflare-D1DatabaseObject");
    const seen = await killWhen(stage, async () => {
      const files = await readdir(dir).catch(() => [] as string[]);
      const exists = files.some((f) => f.startsWith(prefix));
      return exists && (await resourceStatus(stage, "database")) === "creating"
        ? "database file open, not recorded"
        : undefined;
    });
    expect(seen).toBe("database file open, not recorded");
    const files = (await readdir(dir)).filter((f) => f.startsWith(prefix) && f.endsWith(".sqlite"));
    expect(files).toHaveLength(1);
    // A migration and its d1_migrations row are one batch: all of it or none of it.
    const state = await migrationState(path.join(dir, files[0] as string));
    expect(state.hasAuthTables).toBe(state.applied.includes("0000_init.sql"));
    await expectConverged(stage);
  });

  it.each([
    ["while the database is being created", "database", ["creating"]],
    ["right after the database is recorded", "database", ["created"]],
    ["while the Worker is being created", "worker", ["creating"]],
  ])("%s converges on the next run: one database, migrated once, serving", async (_label, id, statuses) => {
    config ??= await writeConfig("faults.config.ts", { app: APP });
    const stage = uniqueStage("kill");
    stages.push(stage);
    const seen = await killWhen(stage, async () => {
      const status = await resourceStatus(stage, id);
      return status && statuses.includes(status) ? `${id} ${status}` : undefined;
    });
    expect(seen).toBe(`${id} ${statuses[0]}`);

    // Whatever the kill interrupted, the database is never half-migrated: a migration and its
    // d1_migrations row are one batch.
    const dbId = await localDatabaseId(ROOT, APP, stage);
    const files = dbId ? (await localD1Files(ROOT, dbId)).filter((f) => f.endsWith(".sqlite")) : [];
    for (const file of files) {
      const state = await migrationState(file);
      expect(state.hasAuthTables).toBe(state.applied.includes("0000_init.sql"));
    }
    await expectConverged(stage);
  });

  it("during the write that records the database keeps the old state whole and converges", async () => {
    config ??= await writeConfig("faults.config.ts", { app: APP });
    const stage = uniqueStage("kill");
    stages.push(stage);
    // The store stops halfway through writing database.json as "created" and says so: the kill
    // lands inside the write every time.
    const env = { ...localEnv(), [STALL_STATE_WRITE_VAR]: "database:created" };
    const seen = await killWhen(
      stage,
      async (output) => (output.includes(STALLED_MARKER) ? "mid-write" : undefined),
      env,
    );
    expect(seen).toBe("mid-write");
    // The file holds what was there before the write began, whole.
    expect(await resourceStatus(stage, "database")).toBe("creating");
    await expectConverged(stage);
  });

  it("a state file cut short stops the next run with the file's name and how to recover, no stack trace", async () => {
    config ??= await writeConfig("faults.config.ts", { app: APP });
    const stage = uniqueStage("cut");
    stages.push(stage);
    await expectConverged(stage);
    const file = path.join(stateDir(ROOT, APP, stage), "database.json");
    const whole = await readFile(file, "utf8");
    await writeFile(file, whole.slice(0, whole.length / 2));
    try {
      const run = await runProgram([
        "--stage",
        stage,
        "--port",
        String(await freePort()),
        "--config",
        config,
      ]);
      expect(run.code).not.toBe(0);
      expect(run.output).toContain(
        `Cannot read the state file ${path.relative(ROOT, file)}: it is not whole JSON`,
      );
      expect(run.output).toContain("delete the file and run again");
      expect(run.output).not.toMatch(/^\s+at /m);
    } finally {
      // Whole again, so afterAll's destroy can remove the stage.
      await writeFile(file, whole);
    }
  });

  it("after it served converges too (workerd killed with it)", async () => {
    config ??= await writeConfig("faults.config.ts", { app: APP });
    const stage = uniqueStage("kill");
    stages.push(stage);
    const seen = await killWhen(stage, async (output) =>
      output.includes("Serving until Ctrl-C.") ? "serving" : undefined,
    );
    expect(seen).toBe("serving");
    await expectConverged(stage);
  });
});
