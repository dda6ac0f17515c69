/** The object-form options of twoFactor: issuer passed on, required passed on, password sign-in needed. */
import { describe, expect, it } from "vitest";
import { ConfigError, defineAuth, defineConfig, parseConfig } from "../../src/config/index.ts";

const withPlugins = (plugins: unknown, emailAndPassword: unknown = { enabled: true }) =>
  defineConfig({
    name: "app",
    providers: {
      auth: defineAuth("better-auth", { emailAndPassword, plugins } as Parameters<typeof defineAuth>[1]),
    },
  });

function issuesOf(plugins: unknown, emailAndPassword?: unknown) {
  try {
    parseConfig(withPlugins(plugins, emailAndPassword));
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error("expected the config to be rejected");
}

describe("twoFactor options", () => {
  it("take an issuer and required, and pass them to the runtime", () => {
    expect(parseConfig(withPlugins({ twoFactor: { issuer: "Acme", required: false } })).auth.plugins).toEqual(
      { twoFactor: { issuer: "Acme", required: false } },
    );
    expect(parseConfig(withPlugins({ twoFactor: { required: true } })).auth.plugins).toEqual({
      twoFactor: { required: true },
    });
    expect(parseConfig(withPlugins(["twoFactor"])).auth.plugins).toEqual({ twoFactor: {} });
  });

  it.each([
    [{ twoFactor: { required: "yes" } }, "expected true or false"],
    [{ twoFactor: { issuer: "" } }, "expected the name authenticator apps show"],
    [{ twoFactor: { period: 60 } }, 'unknown key "period"'],
  ])("refuses %j", (plugins, message) => {
    const issues = issuesOf(plugins);
    expect(issues, JSON.stringify(issues)).toContainEqual(
      expect.objectContaining({
        path: expect.stringMatching(/^providers\.auth\.plugins\.twoFactor/),
        message: expect.stringContaining(message),
      }),
    );
  });

  it("needs password sign-in, the factor it adds to", () => {
    const issues = issuesOf(["twoFactor", "emailOtp"], { enabled: false });
    expect(issues, JSON.stringify(issues)).toContainEqual(
      expect.objectContaining({
        message: expect.stringContaining(
          '"twoFactor" works with password sign-in, but emailAndPassword is disabled',
        ),
        fix: "set emailAndPassword.enabled to true, or remove twoFactor",
      }),
    );
  });
});
