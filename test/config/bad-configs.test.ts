import { describe, expect, it } from "vitest";
import { ConfigError, type ConfigIssue, parseConfig } from "../../src/config/index.ts";

// Configs as a JavaScript user could write them: the define* helpers without their types.
type Helper = (provider?: unknown, options?: unknown) => unknown;
const call =
  (kind: string): Helper =>
  (provider, options = {}) => ({ kind, provider, options });
const defineRuntime = call("runtime");
const defineDatabase = call("database");
const defineAuth = call("auth");
const defineStorage = call("storage");

const config = (providers: Record<string, unknown>, name: unknown = "app") => ({ name, providers });
const withAuth = (options: unknown) => config({ auth: defineAuth("better-auth", options) });
const withVars = (vars: unknown) =>
  config({
    database: defineDatabase("cloudflare-d1", { vars }),
    auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }),
  });
const withOAuth = (options: unknown) => withAuth({ plugins: { oauthProvider: options } });

function issuesOf(input: unknown): ConfigIssue[] {
  try {
    parseConfig(input);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error("expected the config to be rejected");
}

interface BadCase {
  name: string;
  input: unknown;
  path: string;
  message: string;
  fix?: string;
}

const CASES: BadCase[] = [
  // plugins, array form
  {
    name: "a misspelt plugin",
    input: withAuth({ plugins: ["emailOtp", "passkey", "pass-key"] }),
    path: "providers.auth.plugins[2]",
    message: 'unknown plugin "pass-key" (did you mean "passkey"?)',
  },
  {
    name: "a plugin in the wrong case",
    input: withAuth({ plugins: ["emailOTP"] }),
    path: "providers.auth.plugins[0]",
    message: 'unknown plugin "emailOTP" (did you mean "emailOtp"?)',
  },
  {
    name: "the start of a plugin name",
    input: withAuth({ plugins: ["magic"] }),
    path: "providers.auth.plugins[0]",
    message: 'did you mean "magicLink"?',
  },
  {
    name: "a plugin authform does not ship",
    input: withAuth({ plugins: ["phoneNumber"] }),
    path: "providers.auth.plugins[0]",
    message: 'unknown plugin "phoneNumber" (expected one of: emailOtp, anonymous,',
  },
  {
    name: "the deprecated mcp plugin",
    input: withAuth({ plugins: ["mcp"] }),
    path: "providers.auth.plugins[0]",
    message: 'did you mean "oauthProvider"?',
  },
  {
    name: "emailAndPassword listed as a plugin",
    input: withAuth({ plugins: ["emailAndPassword"] }),
    path: "providers.auth.plugins[0]",
    message: '"emailAndPassword" is not a plugin: set emailAndPassword: { enabled: true }',
  },
  {
    name: "a duplicate plugin",
    input: withAuth({ plugins: ["passkey", "jwt", "passkey"] }),
    path: "providers.auth.plugins[2]",
    message: '"passkey" is listed twice (first at [0])',
    fix: "remove one",
  },
  {
    name: "a plugin that is not a string",
    input: withAuth({ plugins: [42] }),
    path: "providers.auth.plugins[0]",
    message: "expected a plugin name, got 42",
  },
  {
    name: "plugins as a string",
    input: withAuth({ plugins: "passkey" }),
    path: "providers.auth.plugins",
    message:
      'expected a list of plugin names like ["passkey"] or an object like { passkey: true }, got "passkey"',
  },
  {
    name: "upgradeAnonymous without anonymous",
    input: withAuth({ plugins: ["upgradeAnonymous"] }),
    path: "providers.auth.plugins[0]",
    message: '"upgradeAnonymous" needs "anonymous", which is not enabled',
    fix: 'add "anonymous" to plugins',
  },
  {
    name: "upgradeAnonymous with emailAndPassword disabled",
    input: withAuth({ emailAndPassword: { enabled: false }, plugins: ["anonymous", "upgradeAnonymous"] }),
    path: "providers.auth.plugins[1]",
    message:
      '"upgradeAnonymous" turns a guest into an email + password user, but emailAndPassword is disabled',
    fix: "set emailAndPassword.enabled to true, or remove upgradeAnonymous",
  },
  {
    name: "upgradeAnonymous with password sign-up off",
    input: withAuth({
      emailAndPassword: { enabled: true, allowSignUp: false },
      plugins: { anonymous: true, upgradeAnonymous: true },
    }),
    path: "providers.auth.plugins.upgradeAnonymous",
    message: "but emailAndPassword.allowSignUp is false",
    fix: "set emailAndPassword.allowSignUp to true, or remove upgradeAnonymous",
  },
  // plugins, object form
  {
    name: "a misspelt plugin key",
    input: withAuth({ plugins: { passKey: true } }),
    path: "providers.auth.plugins",
    message: 'unknown plugin "passKey" (did you mean "passkey"?)',
  },
  {
    name: "a plugin toggle that is not a boolean or object",
    input: withAuth({ plugins: { passkey: "yes" } }),
    path: "providers.auth.plugins.passkey",
    message: 'expected true, false or an options object, got "yes"',
  },
  {
    name: "options for a plugin that takes none",
    input: withAuth({ plugins: { anonymous: { otpLength: 8 } } }),
    path: "providers.auth.plugins.anonymous",
    message: 'unknown option "otpLength" (this plugin takes no options yet; use true)',
  },
  {
    name: "upgradeAnonymous with anonymous switched off",
    input: withAuth({ plugins: { anonymous: false, upgradeAnonymous: true } }),
    path: "providers.auth.plugins.upgradeAnonymous",
    message: '"upgradeAnonymous" needs "anonymous"',
    fix: "set anonymous: true in plugins",
  },
  {
    name: "turning off apiKey while organization is on",
    input: withAuth({ plugins: { organization: true, apiKey: false } }),
    path: "providers.auth.plugins.apiKey",
    message: '"apiKey" cannot be false while "organization" is on: API keys carry organization context',
    fix: "remove apiKey: false (it is included automatically) or turn organization off",
  },
  {
    name: "turning off jwt while oauthProvider is on",
    input: withAuth({ plugins: { oauthProvider: true, jwt: false } }),
    path: "providers.auth.plugins.jwt",
    message: "@better-auth/oauth-provider signs its access tokens with jwt",
  },
  // oauthProvider options
  {
    name: "a consent page that is not a path",
    input: withOAuth({ consentPage: "consent" }),
    path: "providers.auth.plugins.oauthProvider.consentPage",
    message: 'expected a path on ACCOUNT_URL starting with "/", got "consent"',
  },
  {
    name: "a misspelt oauthProvider option",
    input: withOAuth({ loginPge: "/login" }),
    path: "providers.auth.plugins.oauthProvider",
    message: 'unknown key "loginPge" (did you mean "loginPage"?)',
  },
  {
    name: "an audience that is not a URL",
    input: withOAuth({ validAudiences: ["api.example.com"] }),
    path: "providers.auth.plugins.oauthProvider.validAudiences[0]",
    message: 'expected an absolute http(s) URL, got "api.example.com"',
  },
  {
    name: "a registration flag that is a string",
    input: withOAuth({ allowDynamicClientRegistration: "yes" }),
    path: "providers.auth.plugins.oauthProvider.allowDynamicClientRegistration",
    message: 'expected true or false, got "yes"',
  },
  {
    name: "a scope with a space",
    input: withOAuth({ scopes: ["openid profile"] }),
    path: "providers.auth.plugins.oauthProvider.scopes[0]",
    message: 'expected a scope name without spaces, got "openid profile"',
  },
  // emailAndPassword, email, sign-in
  {
    name: "no way to sign in",
    input: withAuth({ emailAndPassword: { enabled: false }, plugins: ["jwt"] }),
    path: "providers.auth",
    message: "no way to sign in: emailAndPassword is disabled and no sign-in plugin is enabled",
    fix: 'choose one or more: emailAndPassword: { enabled: true }, or "emailOtp", "magicLink", "passkey", "anonymous" in plugins',
  },
  {
    name: "no sign-in method at all (password sign-in is off unless enabled)",
    input: withAuth({ plugins: ["jwt"] }),
    path: "providers.auth",
    message:
      "no way to sign in: password sign-in is off unless the config enables it and no sign-in plugin is enabled",
    fix: 'choose one or more: emailAndPassword: { enabled: true }, or "emailOtp", "magicLink", "passkey", "anonymous" in plugins',
  },
  {
    name: "password options that leave enabled unsaid",
    input: withAuth({ emailAndPassword: { requireEmailVerification: true }, plugins: ["magicLink"] }),
    path: "providers.auth.emailAndPassword.enabled",
    message:
      "is required: password sign-in is off unless enabled: true (write enabled: false to keep it off)",
  },
  {
    name: "a minimum password length above the maximum",
    input: withAuth({ emailAndPassword: { enabled: true, minPasswordLength: 20, maxPasswordLength: 16 } }),
    path: "providers.auth.emailAndPassword.minPasswordLength",
    message: "expected at most maxPasswordLength (16), got 20",
    fix: "lower minPasswordLength or raise maxPasswordLength",
  },
  {
    name: "a minimum password length below 6",
    input: withAuth({ emailAndPassword: { enabled: true, minPasswordLength: 4 } }),
    path: "providers.auth.emailAndPassword.minPasswordLength",
    message: "expected at least 6 (shorter passwords are guessable), got 4",
  },
  {
    name: "a password length that is not a whole number",
    input: withAuth({ emailAndPassword: { enabled: true, maxPasswordLength: 64.5 } }),
    path: "providers.auth.emailAndPassword.maxPasswordLength",
    message: "expected an integer, got 64.5",
  },
  {
    name: "a password length as a string",
    input: withAuth({ emailAndPassword: { enabled: true, maxPasswordLength: "64" } }),
    path: "providers.auth.emailAndPassword.maxPasswordLength",
    message: 'expected a number, got "64"',
  },
  {
    name: "a maximum password length that would let requests hash megabytes",
    input: withAuth({ emailAndPassword: { enabled: true, maxPasswordLength: 1_000_000 } }),
    path: "providers.auth.emailAndPassword.maxPasswordLength",
    message: "expected at most 1024",
  },
  {
    name: "a misspelt emailAndPassword option",
    input: withAuth({ emailAndPassword: { enable: false } }),
    path: "providers.auth.emailAndPassword",
    message: 'unknown key "enable" (did you mean "enabled"?)',
  },
  {
    name: "emailAndPassword as a boolean",
    input: withAuth({ emailAndPassword: true }),
    path: "providers.auth.emailAndPassword",
    message: "expected an object, got true",
  },
  {
    name: "an email provider authform does not have",
    input: withAuth({ email: { provider: "ses" } }),
    path: "providers.auth.email.provider",
    message: 'expected "cloudflare" or "aws-ses", got "ses"',
  },
  {
    name: "a misspelt auth option",
    input: withAuth({ emailAndPasword: { enabled: true } }),
    path: "providers.auth",
    message: 'unknown key "emailAndPasword" (did you mean "emailAndPassword"?)',
  },
  // vars
  {
    name: "EMAIL_FROM that is not an address",
    input: withVars({ EMAIL_FROM: "noreply" }),
    path: "providers.database.vars.EMAIL_FROM",
    message: 'expected an email address, got "noreply"',
  },
  {
    name: "EMAIL_FROM with a display name",
    input: withVars({ EMAIL_FROM: "Your App <noreply@yourdomain.com>" }),
    path: "providers.database.vars.EMAIL_FROM",
    message: "expected an email address",
    fix: "put only the address here and the name in EMAIL_FROM_NAME",
  },
  {
    name: "EMAIL_REPLY_TO that is not an address",
    input: withVars({ EMAIL_REPLY_TO: "support" }),
    path: "providers.database.vars.EMAIL_REPLY_TO",
    message: 'expected an email address, got "support"',
  },
  {
    name: "APP_URL without a scheme",
    input: withVars({ APP_URL: "account.yourdomain.com" }),
    path: "providers.database.vars.APP_URL",
    message: 'expected an absolute http(s) URL like "https://api.example.com", got "account.yourdomain.com"',
    fix: "write https://account.yourdomain.com",
  },
  {
    name: "BETTER_AUTH_URL that is not http(s)",
    input: withVars({ BETTER_AUTH_URL: "ftp://api.yourdomain.com" }),
    path: "providers.database.vars.BETTER_AUTH_URL",
    message:
      'expected an absolute http(s) URL like "https://api.example.com", got "ftp://api.yourdomain.com"',
  },
  {
    name: "a relative ACCOUNT_URL",
    input: withVars({ ACCOUNT_URL: "/account" }),
    path: "providers.database.vars.ACCOUNT_URL",
    message: 'got "/account"',
  },
  {
    name: "an SES region that is not a region",
    input: withVars({ AWS_SES_REGION: "US East (Ohio)" }),
    path: "providers.database.vars.AWS_SES_REGION",
    message: 'expected an AWS region like "us-east-2", got "US East (Ohio)"',
  },
  {
    name: "BETTER_AUTH_SECRET in vars",
    input: withVars({ BETTER_AUTH_SECRET: "hunter2-hunter2-hunter2" }),
    path: "providers.database.vars.BETTER_AUTH_SECRET",
    message: "is a secret and must not be in vars",
    fix: "put it in .env",
  },
  {
    name: "AWS_ACCESS_KEY_ID in vars",
    input: withVars({ AWS_ACCESS_KEY_ID: "AKIAEXAMPLE" }),
    path: "providers.database.vars.AWS_ACCESS_KEY_ID",
    message: "is a secret",
    fix: "authform sets it as a Worker secret",
  },
  {
    name: "AWS_SECRET_ACCESS_KEY in vars",
    input: withVars({ AWS_SECRET_ACCESS_KEY: "wJalrEXAMPLE" }),
    path: "providers.database.vars.AWS_SECRET_ACCESS_KEY",
    message: "is a secret",
  },
  {
    name: "a var name that is not UPPER_SNAKE",
    input: withVars({ emailFrom: "noreply@yourdomain.com" }),
    path: "providers.database.vars.emailFrom",
    message: 'expected an UPPER_SNAKE_CASE var name, got "emailFrom" (did you mean "EMAIL_FROM"?)',
  },
  {
    name: "a var that is not a string",
    input: withVars({ MAX_USERS: 3 }),
    path: "providers.database.vars.MAX_USERS",
    message: "expected a string, got 3",
  },
  {
    name: "vars as a string",
    input: withVars("APP_NAME=x"),
    path: "providers.database.vars",
    message: 'expected an object, got "APP_NAME=x"',
  },
  {
    name: "a misspelt database option",
    input: config({
      database: defineDatabase("cloudflare-d1", { var: {} }),
      auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }),
    }),
    path: "providers.database",
    message: 'unknown key "var" (did you mean "vars"?)',
  },
  // providers
  {
    name: "an unsupported database",
    input: config({
      database: defineDatabase("postgres"),
      auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }),
    }),
    path: "providers.database",
    message: 'unsupported database provider "postgres" (authform supports defineDatabase("cloudflare-d1"))',
  },
  {
    name: "an unsupported auth library",
    input: config({ auth: defineAuth("clerk") }),
    path: "providers.auth",
    message: 'unsupported auth provider "clerk" (authform supports defineAuth("better-auth"))',
  },
  {
    name: "a helper called without its provider",
    input: config({ auth: defineAuth() }),
    path: "providers.auth",
    message: "expected a provider name, got nothing",
    fix: 'write defineAuth("better-auth")',
  },
  {
    name: "an unsupported runtime",
    input: config({
      runtime: defineRuntime("aws-lambda"),
      auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }),
    }),
    path: "providers.runtime",
    message: 'unsupported runtime provider "aws-lambda"',
  },
  {
    name: "an unsupported storage",
    input: config({
      storage: defineStorage("redis"),
      auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }),
    }),
    path: "providers.storage",
    message: 'unsupported storage provider "redis" (authform supports defineStorage("cloudflare-kv"))',
  },
  {
    name: "storage options (none exist yet)",
    input: config({
      storage: defineStorage("cloudflare-kv", { namespace: "x" }),
      auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }),
    }),
    path: "providers.storage",
    message: 'unknown option "namespace" (storage takes no options yet)',
  },
  {
    name: "a helper in the wrong slot",
    input: config({ database: defineAuth("better-auth"), auth: defineAuth("better-auth") }),
    path: "providers.database",
    message: 'expected defineDatabase("cloudflare-d1"), got defineAuth(...)',
    fix: "defineAuth belongs in providers.auth",
  },
  {
    name: "auth options without defineAuth",
    input: config({ auth: { plugins: ["passkey"] } }),
    path: "providers.auth",
    message: 'expected defineAuth("better-auth"), got {"plugins":["passkey"]}',
    fix: 'wrap it: auth: defineAuth("better-auth", { ... })',
  },
  {
    name: "no providers.auth",
    input: config({ database: defineDatabase("cloudflare-d1") }),
    path: "providers.auth",
    message: "is required",
    fix: 'add auth: defineAuth("better-auth") to providers',
  },
  {
    name: "a misspelt compatibility date option",
    input: config({
      runtime: defineRuntime("cloudflare", { compatabilityDate: "2025-09-01" }),
      auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }),
    }),
    path: "providers.runtime",
    message: 'unknown key "compatabilityDate" (did you mean "compatibilityDate"?)',
  },
  {
    name: "a compatibility date in the wrong format",
    input: config({
      runtime: defineRuntime("cloudflare", { compatibilityDate: "2025-9-1" }),
      auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }),
    }),
    path: "providers.runtime.compatibilityDate",
    message: 'expected a date like "2025-09-01", got "2025-9-1"',
  },
  {
    name: "a compatibility date that does not exist",
    input: config({
      runtime: defineRuntime("cloudflare", { compatibilityDate: "2025-02-30" }),
      auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }),
    }),
    path: "providers.runtime.compatibilityDate",
    message: 'got "2025-02-30"',
  },
  {
    name: "an unknown provider slot",
    input: config({ auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }), email: {} }),
    path: "providers",
    message: 'unknown key "email" (expected one of: runtime, database, auth, storage)',
  },
  // top level
  {
    name: "a name with capitals and a space",
    input: config({ auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }) }, "My App"),
    path: "name",
    message: 'expected 1–32 lowercase letters, digits or dashes, starting with a letter, got "My App"',
  },
  {
    name: "a name starting with a digit",
    input: config({ auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }) }, "1app"),
    path: "name",
    message: 'got "1app"',
  },
  {
    name: "a name longer than 32 characters",
    input: config(
      { auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }) },
      `a${"b".repeat(44)}`,
    ),
    path: "name",
    message: `got "a${"b".repeat(38)}…"`,
  },
  {
    name: "no name",
    input: { providers: { auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }) } },
    path: "name",
    message: "is required (expected a string)",
  },
  {
    name: "no providers",
    input: { name: "app" },
    path: "providers",
    message: "is required (expected an object)",
  },
  {
    name: "a key the config does not have",
    input: {
      ...config({ auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }) }),
      plugins: ["passkey"],
    },
    path: "",
    message: 'unknown key "plugins" (expected one of: name, providers)',
  },
  {
    name: "no config at all",
    input: undefined,
    path: "",
    message: "expected a config object (export default defineConfig({ name, providers })), got nothing",
  },
];

describe("parseConfig rejects bad configs with the path and a message that says what to do", () => {
  it.each(CASES)("$name", ({ input, path, message, fix }) => {
    const issues = issuesOf(input);
    const match = issues.find((i) => i.path === path && i.message.includes(message));
    expect(
      match,
      `no issue at "${path}" containing ${JSON.stringify(message)} in ${JSON.stringify(issues)}`,
    ).toBeTruthy();
    if (fix !== undefined) expect(match?.fix).toContain(fix);
  });

  it("never shows zod's own wording", () => {
    for (const { input } of CASES) {
      for (const issue of issuesOf(input)) {
        expect(issue.message).not.toMatch(
          /Invalid input|received|Unrecognized key|Invalid option|Too (big|small)/,
        );
      }
    }
  });

  it("never echoes a secret put in vars", () => {
    let message = "";
    try {
      parseConfig(withVars({ BETTER_AUTH_SECRET: "hunter2-hunter2-hunter2" }));
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("BETTER_AUTH_SECRET");
    expect(message).not.toContain("hunter2");
  });
});

describe("every problem at once", () => {
  it("reports three problems in three places, rendered in the house style", () => {
    const input = {
      name: "My App",
      providers: {
        database: defineDatabase("cloudflare-d1", { vars: { EMAIL_FROM: "noreply" } }),
        auth: defineAuth("better-auth", { plugins: ["emailOtp", "passkey", "pass-key"] }),
      },
    };
    let error: unknown;
    try {
      parseConfig(input);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toHaveLength(3);
    expect((error as ConfigError).message).toBe(
      [
        "Invalid auth config in quickback.config.ts:",
        '  • name: expected 1–32 lowercase letters, digits or dashes, starting with a letter, got "My App"',
        '  • providers.database.vars.EMAIL_FROM: expected an email address, got "noreply"',
        '  • providers.auth.plugins[2]: unknown plugin "pass-key" (did you mean "passkey"?)',
      ].join("\n"),
    );
  });

  it("checks plugin rules even when other parts are wrong, and renders fixes after a dash", () => {
    const input = {
      name: "app",
      providers: {
        database: defineDatabase("cloudflare-d1", { vars: { AWS_SECRET_ACCESS_KEY: "x" } }),
        auth: defineAuth("better-auth", {
          emailAndPassword: { enabled: true },
          email: { provider: "ses" },
          plugins: ["upgradeAnonymous"],
        }),
      },
    };
    let message = "";
    try {
      parseConfig(input, "staging.config.ts");
    } catch (err) {
      message = (err as Error).message;
    }
    const lines = message.split("\n");
    expect(lines[0]).toBe("Invalid auth config in staging.config.ts:");
    expect(lines).toContain(
      '  • providers.auth.plugins[0]: "upgradeAnonymous" needs "anonymous", which is not enabled — add "anonymous" to plugins',
    );
    expect(lines).toContain(
      '  • providers.auth.email.provider: expected "cloudflare" or "aws-ses", got "ses"',
    );
    expect(
      lines.some((l) => l.startsWith("  • providers.database.vars.AWS_SECRET_ACCESS_KEY: is a secret")),
    ).toBe(true);
    expect(lines).toHaveLength(4);
  });
});
