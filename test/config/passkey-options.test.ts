/** The object-form options of passkey: userVerification, checked before anything runs, passed on as written. */
import { describe, expect, it } from "vitest";
import { ConfigError, defineAuth, defineConfig, parseConfig } from "../../src/config/index.ts";

const withPlugins = (plugins: unknown) =>
  defineConfig({
    name: "app",
    providers: { auth: defineAuth("better-auth", { plugins } as Parameters<typeof defineAuth>[1]) },
  });

function issuesOf(plugins: unknown) {
  try {
    parseConfig(withPlugins(plugins));
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error("expected the config to be rejected");
}

describe("passkey options", () => {
  it.each(["required", "preferred"])("take userVerification %j and pass it to the runtime", (value) => {
    expect(parseConfig(withPlugins({ passkey: { userVerification: value } })).auth.plugins).toEqual({
      passkey: { userVerification: value },
    });
  });

  it("leave the default (preferred) to the runtime when named without options", () => {
    expect(parseConfig(withPlugins(["passkey"])).auth.plugins).toEqual({ passkey: {} });
    expect(parseConfig(withPlugins({ passkey: true })).auth.plugins).toEqual({ passkey: {} });
  });

  it.each([
    [
      { passkey: { userVerification: "discouraged" } },
      'expected "required" or "preferred", got "discouraged"',
    ],
    [{ passkey: { userVerification: true } }, 'expected "required" or "preferred", got true'],
    [{ passkey: { uv: "required" } }, 'unknown key "uv"'],
  ])("refuses %j", (plugins, message) => {
    const issues = issuesOf(plugins);
    expect(issues, JSON.stringify(issues)).toContainEqual(
      expect.objectContaining({
        path: expect.stringMatching(/^providers\.auth\.plugins\.passkey/),
        message: expect.stringContaining(message),
      }),
    );
  });
});
