/** The admin plugin's options: admins by email (required, each once, case ignored), other roles by name. */
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

describe("admin options", () => {
  it("take the admins' addresses (lowercased, as Better Auth stores them) and other roles, and pass them to the runtime", () => {
    const plugins = parseConfig(
      withPlugins({ admin: { userEmails: ["Root@Example.com", "ops@example.com"], roles: ["support"] } }),
    ).auth.plugins;
    expect(plugins).toEqual({
      admin: { userEmails: ["root@example.com", "ops@example.com"], roles: ["support"] },
    });
  });

  it.each([
    [{ admin: { userEmails: [] } }, "userEmails", "expected at least one address"],
    [{ admin: {} }, "userEmails", "is required: the email addresses of the admins"],
    [{ admin: { userEmails: "root@example.com" } }, "userEmails", "expected a list of email addresses"],
    [
      { admin: { userEmails: ["not an address"] } },
      "userEmails[0]",
      'expected an email address, got "not an address"',
    ],
    [
      { admin: { userEmails: ["a@example.com", "A@example.com"] } },
      "userEmails[1]",
      "is listed twice (first at [0])",
    ],
    [{ admin: { userEmails: ["a@example.com"], roles: ["admin"] } }, "roles[0]", '"admin" is built in'],
    [
      { admin: { userEmails: ["a@example.com"], roles: ["Support Team"] } },
      "roles[0]",
      "expected a lowercase name",
    ],
    [{ admin: { userEmails: ["a@example.com"], roles: ["x", "x"] } }, "roles[1]", "is listed twice"],
    [{ admin: { userEmails: ["a@example.com"], adminUserIds: ["u1"] } }, "", 'unknown key "adminUserIds"'],
  ])("refuses %j at %s", (plugins, at, message) => {
    const issues = issuesOf(plugins);
    expect(issues, JSON.stringify(issues)).toContainEqual(
      expect.objectContaining({
        path: `providers.auth.plugins.admin${at ? `.${at}` : ""}`,
        message: expect.stringContaining(message),
      }),
    );
  });

  it.each([
    [["emailOtp", "admin"], "providers.auth.plugins[1]"],
    [{ admin: true }, "providers.auth.plugins.admin"],
  ])("refuses %j: the admins must be named", (plugins, path) => {
    const issues = issuesOf(plugins);
    expect(issues, JSON.stringify(issues)).toContainEqual(
      expect.objectContaining({
        path,
        message: '"admin" needs options: it cannot be switched on by name alone',
        fix: expect.stringContaining('{ admin: { userEmails: ["you@example.com"] } }'),
      }),
    );
  });
});
