/**
 * What a local run migrates. Alchemy 0.94 applies a local D1's migrations in a workerd of their own
 * (~0.3 s of a first start); it does so only when the database's props changed, and the props carry
 * each migration file's name and hash. So a first run applies every migration, an unchanged re-run
 * starts no workerd for them, and a migration file added since is applied on the next run.
 *
 * Runs authform's database step alone (test/support/provision-local-database.ts) in a directory of
 * its own, on a copy of migrations/ that the test can add a file to.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localD1Files, localDatabaseId } from "../../src/provision/local-files.ts";
import { runToCompletion } from "../support/program-process.ts";
import { querySqlite, ROOT } from "../support/stack.ts";

const BUN = path.join(ROOT, "node_modules", ".bin", "bun");
const SCRIPT = path.join(ROOT, "test", "support", "provision-local-database.ts");
/** The app name provision-local-database.ts's config gives. */
const APP = "local-migrations";
const STAGE = "dev";
const ADDED = "0999_added_since.sql";

let root: string;
let migrationsDir: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "authform-local-migrations-"));
  // A project root (Alchemy keeps local D1 data at the workspace root it finds from the cwd).
  await writeFile(path.join(root, "package.json"), JSON.stringify({ private: true, workspaces: [] }));
  migrationsDir = path.join(root, "migrations");
  await mkdir(migrationsDir);
  for (const file of await shippedMigrations()) {
    await copyFile(path.join(ROOT, "migrations", file), path.join(migrationsDir, file));
  }
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function shippedMigrations(): Promise<string[]> {
  return (await readdir(path.join(ROOT, "migrations"))).filter((f) => f.endsWith(".sql")).sort();
}

/** One run of the database step; how many workerd processes it started (strace -f sees them all). */
async function run(): Promise<number> {
  const trace = path.join(root, "run.strace");
  const strace = ["strace", "-f", "-qq", "-e", "trace=execve", "-o", trace];
  const result = await runToCompletion([...strace, BUN, SCRIPT, STAGE, migrationsDir], {
    cwd: root,
    timeoutMs: 60_000,
  });
  const started = await readFile(trace, "utf8").finally(() => rm(trace, { force: true }));
  expect(result.code, result.output).toBe(0);
  expect(started).toContain("execve("); // strace saw the program start at all
  return started.split("\n").filter((line) => /execve\("[^"]*\/workerd"/.test(line)).length;
}

async function databaseFile(): Promise<string> {
  const id = await localDatabaseId(root, APP, STAGE);
  expect(id).toBeTruthy();
  const files = (await localD1Files(root, id as string)).filter((f) => f.endsWith(".sqlite"));
  expect(files, "one D1 database for the stage").toHaveLength(1);
  return files[0] as string;
}

interface Recorded {
  id: number;
  name: string;
  applied_at: string;
}

async function recorded(): Promise<Recorded[]> {
  return querySqlite<Recorded>(
    await databaseFile(),
    "SELECT id, name, applied_at FROM d1_migrations ORDER BY id",
  );
}

async function tables(): Promise<string[]> {
  const rows = await querySqlite<{ name: string }>(
    await databaseFile(),
    "SELECT name FROM sqlite_master WHERE type = 'table'",
  );
  return rows.map((r) => r.name);
}

describe("a local stage's migrations", () => {
  let first: Recorded[];

  it("a first run applies every migration, in order, each recorded once", async () => {
    expect(await run()).toBe(1);
    first = await recorded();
    expect(first.map((m) => m.name)).toEqual(await shippedMigrations());
    expect(await tables()).toEqual(expect.arrayContaining(["user", "session", "account", "verification"]));
  });

  it("an unchanged re-run starts no workerd for them and leaves them as they were", async () => {
    expect(await run()).toBe(0);
    expect(await recorded()).toEqual(first);
  });

  it("a migration file added since is applied on the next run, once, after the others", async () => {
    await writeFile(
      path.join(migrationsDir, ADDED),
      "CREATE TABLE `added_since` (`id` text PRIMARY KEY NOT NULL);\n",
    );
    expect(await run()).toBe(1);
    const after = await recorded();
    expect(after.slice(0, first.length)).toEqual(first);
    expect(after.slice(first.length).map((m) => m.name)).toEqual([ADDED]);
    expect(await tables()).toContain("added_since");

    // And the run after that has nothing to apply again.
    expect(await run()).toBe(0);
    expect(await recorded()).toEqual(after);
  });
});
