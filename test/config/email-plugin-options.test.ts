/** The object-form options of emailOtp and magicLink: lifetimes and attempts, checked before anything runs. */
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

describe("emailOtp and magicLink options", () => {
  it("take lifetimes and attempts in the object form, and pass them to the runtime as written", () => {
    const config = parseConfig(
      withPlugins({ emailOtp: { expiresIn: 600, allowedAttempts: 5 }, magicLink: { expiresIn: 900 } }),
    );
    expect(config.auth.plugins).toEqual({
      emailOtp: { expiresIn: 600, allowedAttempts: 5 },
      magicLink: { expiresIn: 900 },
    });
  });

  it("leave the defaults to the runtime when named without options", () => {
    expect(parseConfig(withPlugins(["emailOtp", "magicLink"])).auth.plugins).toEqual({
      emailOtp: {},
      magicLink: {},
    });
    expect(parseConfig(withPlugins({ emailOtp: true, magicLink: {} })).auth.plugins).toEqual({
      emailOtp: {},
      magicLink: {},
    });
  });

  it.each([
    [
      { emailOtp: { expiresIn: 7200 } },
      "providers.auth.plugins.emailOtp.expiresIn",
      "expected at most 3600 seconds",
    ],
    [{ emailOtp: { expiresIn: 0 } }, "providers.auth.plugins.emailOtp.expiresIn", "expected at least 1"],
    [
      { emailOtp: { expiresIn: 1.5 } },
      "providers.auth.plugins.emailOtp.expiresIn",
      "expected a whole number of seconds, got 1.5",
    ],
    [
      { emailOtp: { allowedAttempts: 50 } },
      "providers.auth.plugins.emailOtp.allowedAttempts",
      "expected at most 10",
    ],
    [{ emailOtp: { otpLength: 8 } }, "providers.auth.plugins.emailOtp", 'unknown key "otpLength"'],
    [
      { magicLink: { expiresIn: 100_000 } },
      "providers.auth.plugins.magicLink.expiresIn",
      "expected at most 86400",
    ],
    [
      { magicLink: { expiresIn: "5m" } },
      "providers.auth.plugins.magicLink.expiresIn",
      'expected a whole number of seconds, got "5m"',
    ],
  ])("refuses %j", (plugins, path, message) => {
    const issues = issuesOf(plugins);
    expect(issues, JSON.stringify(issues)).toContainEqual(
      expect.objectContaining({ path, message: expect.stringContaining(message) }),
    );
  });
});
