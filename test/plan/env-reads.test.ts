/** Every environment variable the program reads is catalogued in src, and test stacks get none of them from the shell. */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ENV_VAR_NAMES, ENV_VARS, PLATFORM_ENV_VARS } from "../../src/plan/env-vars.ts";
import { localEnv, ROOT } from "../support/program-process.ts";

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Names read as `env.NAME`, `env?.NAME`, `env["NAME"]` or `process.env.NAME`; plain assignments are writes. */
function namesRead(source: string): string[] {
  const names: string[] = [];
  for (const match of source.matchAll(
    /\benv\??\.([A-Z][A-Z0-9_]*)\b(?!\s*=(?!=))|\benv\["([A-Z][A-Z0-9_]*)"\]/g,
  )) {
    names.push((match[1] ?? match[2]) as string);
  }
  return names;
}

describe("the environment the program reads", () => {
  it("is named in src/plan/env-vars.ts: ENV_VARS (in .env.example) or PLATFORM_ENV_VARS", async () => {
    const files = [...(await sourceFiles(path.join(ROOT, "src"))), path.join(ROOT, "alchemy.run.ts")];
    const read = new Map<string, string>();
    for (const file of files) {
      for (const name of namesRead(await readFile(file, "utf8"))) read.set(name, path.relative(ROOT, file));
    }
    // The scan itself works: it sees reads we know of.
    expect([...read.keys()]).toEqual(expect.arrayContaining(["STAGE", "CI", "AWS_SES_ENDPOINT"]));
    // What the program only sets for itself (DO_NOT_TRACK = "1", in src/cli/environment.ts) is no read.
    const uncatalogued = [...read].filter(
      ([name]) => !ENV_VAR_NAMES.has(name) && !PLATFORM_ENV_VARS.includes(name),
    );
    expect(uncatalogued.map(([name, file]) => `${name} (${file})`)).toEqual([]);
  });
});

describe("localEnv, the environment test stacks run in", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const leaks = [
    ...ENV_VARS.map((v) => v.name),
    ...PLATFORM_ENV_VARS.filter((name) => name !== "USER" && name !== "LOGNAME"),
    // Read by Alchemy, the AWS SDK or the Worker's own vars, and not in either list.
    "ALCHEMY_STAGE",
    "AWS_PROFILE",
    "AUTHFORM_RP_ID",
    "AUTHFORM_OUTBOX_URL",
    "DEBUG",
  ];

  it("lets nothing the program reads through from the developer's shell", () => {
    for (const name of leaks) vi.stubEnv(name, `from-the-shell-${name}`);
    const env = localEnv();
    expect(leaks.filter((name) => name in env)).toEqual([]);
    // Everything else stays: the tools the program runs need PATH and HOME.
    expect(env.PATH).toBe(process.env.PATH);
  });

  it("passes exactly what the test gives it", () => {
    vi.stubEnv("EMAIL_FROM", "shell@example.com");
    vi.stubEnv("APP_URL", "https://shell.example.com");
    const env = localEnv({ EMAIL_FROM: "test@example.com" });
    expect(env.EMAIL_FROM).toBe("test@example.com");
    expect(env.APP_URL).toBeUndefined();
  });
});
