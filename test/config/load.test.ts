import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/index.ts";

const SRC_INDEX = path.resolve(import.meta.dirname, "../../src/index.ts");
let dir: string;

/** Writes a config file into the temp dir; `{{src}}` becomes a relative import of authform's entry. */
async function writeConfig(name: string, body: string): Promise<string> {
  const file = path.join(dir, name);
  let spec = path.relative(path.dirname(file), SRC_INDEX).split(path.sep).join("/");
  if (!spec.startsWith(".")) spec = `./${spec}`;
  await writeFile(file, body.replaceAll("{{src}}", spec));
  return file;
}

async function failureOf(file: string): Promise<Error> {
  try {
    await loadConfig(file);
  } catch (err) {
    return err as Error;
  }
  throw new Error(`expected loadConfig(${file}) to fail`);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "authform-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadConfig", () => {
  it("imports a TypeScript config and resolves it", async () => {
    const file = await writeConfig(
      "ok.config.ts",
      `import { defineAuth, defineConfig } from "{{src}}";
export default defineConfig({
  name: "loaded",
  providers: { auth: defineAuth("better-auth", { emailAndPassword: { enabled: true }, plugins: ["oauthProvider"] }) },
});
`,
    );
    const config = await loadConfig(file);
    expect(config.name).toBe("loaded");
    expect(config.auth.autoIncluded).toEqual({ jwt: "oauthProvider" });
  });

  it("resolves a relative path against the working directory", async () => {
    const file = await writeConfig(
      "relative.config.ts",
      `import { defineAuth, defineConfig } from "{{src}}";
export default defineConfig({ name: "relative", providers: { auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }) } });
`,
    );
    expect((await loadConfig(path.relative(process.cwd(), file))).name).toBe("relative");
  });

  it('loads the repository\'s own quickback.config.ts (which imports from "authform")', async () => {
    const config = await loadConfig(path.resolve(import.meta.dirname, "../../quickback.config.ts"));
    expect(config.name).toBe("authform");
    expect(config.auth.emailAndPassword.enabled).toBe(true);
  });

  it("says where it looked and what to do when the file is missing", async () => {
    const missing = path.join(dir, "nope.config.ts");
    const err = await failureOf(missing);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(
      `No config at ${missing}. Create quickback.config.ts (see README) or pass --config PATH.`,
    );
  });

  it("names the file when it has no default export", async () => {
    const file = await writeConfig("named.config.ts", "export const config = { name: 'x' };\n");
    const err = await failureOf(file);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(`${file} has no default export`);
    expect(err.message).toContain("export default defineConfig(");
  });

  it("names the file and the cause when importing it throws", async () => {
    const file = await writeConfig(
      "throws.config.ts",
      'throw new Error("APP_URL is not set in this shell");\n',
    );
    const err = await failureOf(file);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(`Could not load ${file}: APP_URL is not set in this shell`);
    expect((err.cause as Error).message).toBe("APP_URL is not set in this shell");
  });

  it("rejects a directory with the file to pass instead", async () => {
    const sub = path.join(dir, "project");
    await mkdir(sub, { recursive: true });
    const err = await failureOf(sub);
    expect(err.message).toContain(`${sub} is a directory`);
  });

  it("reports an invalid config under the path the user gave", async () => {
    const file = await writeConfig(
      "bad.config.ts",
      `import { defineAuth, defineConfig } from "{{src}}";
export default defineConfig({ name: "bad", providers: { auth: defineAuth("better-auth", { plugins: ["pass-key" as never] }) } });
`,
    );
    const err = await failureOf(file);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(
      `Invalid auth config in ${file}:\n  • providers.auth.plugins[0]: unknown plugin "pass-key" (did you mean "passkey"?)`,
    );
  });

  it("shows a path inside the project relative to the working directory", async () => {
    const inside = await mkdtemp(path.join(import.meta.dirname, ".tmp-"));
    try {
      const file = path.join(inside, "bad.config.ts");
      await writeFile(file, 'export default { name: "Bad" };\n');
      const err = await failureOf(file);
      expect(err.message.split("\n")[0]).toBe(
        `Invalid auth config in ${path.relative(process.cwd(), file)}:`,
      );
    } finally {
      await rm(inside, { recursive: true, force: true });
    }
  });
});
