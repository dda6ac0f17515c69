/**
 * `authform/client` is typed by the config: tsc compiles the fixtures in test/client/fixtures, where
 * every call to a plugin the config does not enable is marked `@ts-expect-error`. A mutant that
 * enables the plugin must then fail ("unused directive"): the error came from the config.
 */
import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const FIXTURES = path.join(ROOT, "test", "client", "fixtures");
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
const written: string[] = [];

/** Compiles the given files with the project's compiler options; returns tsc's exit code and output. */
async function compile(files: string[]): Promise<{ code: number; output: string }> {
  const project = path.join(FIXTURES, `tsconfig.${process.pid}.${written.length}.json`);
  written.push(project);
  await writeFile(
    project,
    JSON.stringify({ extends: "../../../tsconfig.json", include: files.map((f) => path.basename(f)) }),
  );
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [TSC, "-p", project], { cwd: ROOT });
    return { code: 0, output: stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string };
    return { code: e.code ?? 1, output: e.stdout ?? String(err) };
  }
}

afterAll(async () => {
  await Promise.all(written.map((file) => rm(file, { force: true })));
});

describe("authform/client types", () => {
  it("compiles each config's calls, and refuses every plugin the config leaves out", async () => {
    const result = await compile(["passkey-only.ts", "organization-object-form.ts", "plugin-list.ts"]);
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  }, 120_000);

  it("a config that enables the plugin makes its @ts-expect-error unused (the refusal came from the config)", async () => {
    const source = await readFile(path.join(FIXTURES, "passkey-only.ts"), "utf8");
    const mutant = path.join(FIXTURES, `mutant-${process.pid}.ts`);
    written.push(mutant);
    await writeFile(mutant, source.replace('plugins: ["passkey"]', 'plugins: ["passkey", "emailOtp"]'));
    const result = await compile([mutant]);
    expect(result.code).not.toBe(0);
    // Exactly the emailOtp line's directive is unused; organization stays refused.
    const directive = source.split("\n").findIndex((line) => line.includes("@ts-expect-error emailOtp")) + 1;
    expect(directive).toBeGreaterThan(0);
    const unused = result.output.split("\n").filter((line) => line.includes("TS2578"));
    expect(unused).toHaveLength(1);
    expect(unused[0]).toContain(`mutant-${process.pid}.ts(${directive},`);
  }, 120_000);
});
