/** The object-form options of apiKey: the per-key rate limit, checked before anything runs, passed on as written. */
import { describe, expect, it } from "vitest";
import { ConfigError, defineAuth, defineConfig, parseConfig } from "../../src/config/index.ts";

const withPlugins = (plugins: unknown) =>
  defineConfig({
    name: "app",
    providers: {
      auth: defineAuth("better-auth", { emailAndPassword: { enabled: true }, plugins } as Parameters<
        typeof defineAuth
      >[1]),
    },
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

describe("apiKey options", () => {
  it("take a rate limit in the object form and pass it to the runtime as written", () => {
    const rateLimit = { enabled: true, timeWindow: 60_000, maxRequests: 100 };
    expect(parseConfig(withPlugins({ apiKey: { rateLimit } })).auth.plugins).toEqual({
      apiKey: { rateLimit },
    });
  });

  it("keep the given options when organization auto-includes apiKey", () => {
    const config = parseConfig(withPlugins({ organization: true, apiKey: { rateLimit: { enabled: true } } }));
    expect(config.auth.plugins.apiKey).toEqual({ rateLimit: { enabled: true } });
    expect(config.auth.autoIncluded).toEqual({});
  });

  it("leave the defaults to the runtime when named without options", () => {
    expect(parseConfig(withPlugins(["apiKey"])).auth.plugins).toEqual({ apiKey: {} });
    expect(parseConfig(withPlugins({ apiKey: true })).auth.plugins).toEqual({ apiKey: {} });
    expect(parseConfig(withPlugins(["organization"])).auth.plugins.apiKey).toEqual({});
  });

  it.each([
    [
      { apiKey: { rateLimit: { timeWindow: 10 } } },
      "providers.auth.plugins.apiKey.rateLimit.timeWindow",
      "expected at least 1000 (milliseconds), got 10",
    ],
    [
      { apiKey: { rateLimit: { maxRequests: 0 } } },
      "providers.auth.plugins.apiKey.rateLimit.maxRequests",
      "expected at least 1",
    ],
    [
      { apiKey: { rateLimit: { maxRequests: 2.5 } } },
      "providers.auth.plugins.apiKey.rateLimit.maxRequests",
      "2.5",
    ],
    [
      { apiKey: { rateLimit: { enabled: "yes" } } },
      "providers.auth.plugins.apiKey.rateLimit.enabled",
      '"yes"',
    ],
    [
      { apiKey: { rateLimit: { window: 60 } } },
      "providers.auth.plugins.apiKey.rateLimit",
      'unknown key "window"',
    ],
    [{ apiKey: { prefix: "ak_" } }, "providers.auth.plugins.apiKey", 'unknown key "prefix"'],
  ])("refuses %j", (plugins, path, message) => {
    const issues = issuesOf(plugins);
    expect(issues, JSON.stringify(issues)).toContainEqual(
      expect.objectContaining({ path, message: expect.stringContaining(message) }),
    );
  });
});
