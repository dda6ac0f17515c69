/**
 * The catalogue of auth plugins, as plain data read by every layer: config rules, the plan, and the
 * Worker's readiness check. No I/O, no Better Auth: the Worker bundles this file.
 */

export const PLUGIN_NAMES = [
  "emailOtp",
  "anonymous",
  "upgradeAnonymous",
  "magicLink",
  "passkey",
  "jwt",
  "apiKey",
  "organization",
  "oauthProvider",
  "twoFactor",
  "admin",
] as const;

export type PluginName = (typeof PLUGIN_NAMES)[number];

/** How a plugin lets a person in on its own, in the order a person is offered them (guests last). */
export const SIGN_IN_METHODS = ["email code", "email link", "passkey", "guest"] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

/** The Worker URL vars a plugin's readiness can ask for. */
export type UrlVar = "BETTER_AUTH_URL" | "ACCOUNT_URL" | "APP_URL";

export interface PluginInfo {
  /** Plugins that must be enabled alongside; a config without them is an error with this fix. */
  requires?: PluginName[];
  /** Plugins switched on automatically when this one is (the seed's auto-includes). */
  autoIncludes?: PluginName[];
  /** Whether the plugin sends email (and so needs an email transport). */
  sendsEmail?: boolean;
  /** How a person signs in with it alone, when email + password is off. */
  signIn?: SignInMethod;
  /** It signs a person up with email + password, so password sign-up must be on. */
  needsPasswordSignUp?: boolean;
  /** It guards or needs password sign-in, so email + password must be on. */
  needsPasswordSignIn?: boolean;
  /** Readiness: Worker URL vars that must hold an http(s) URL. */
  urls?: UrlVar[];
  /**
   * URL vars that must be a secure context (https, or localhost): the WebAuthn relying party. A
   * deploy must be given them (the plan requires them); readiness checks them.
   */
  secureUrls?: UrlVar[];
}

export const PLUGINS: Record<PluginName, PluginInfo> = {
  // One-time codes by email.
  emailOtp: { sendsEmail: true, signIn: "email code" },
  // Guest sessions.
  anonymous: { signIn: "guest" },
  // Turn a guest into a full user.
  upgradeAnonymous: {
    requires: ["anonymous"],
    needsPasswordSignUp: true,
  },
  // Sign-in links by email.
  magicLink: { sendsEmail: true, signIn: "email link", urls: ["APP_URL"] },
  // WebAuthn passkeys.
  passkey: { signIn: "passkey", secureUrls: ["ACCOUNT_URL"] },
  // Asymmetric JWTs and a JWKS endpoint.
  jwt: { urls: ["BETTER_AUTH_URL"] },
  // Static API keys for scripts and machines.
  apiKey: {},
  // Organizations, members and invitations.
  organization: {
    autoIncludes: ["apiKey"],
    // Invitations are emails.
    sendsEmail: true,
    urls: ["ACCOUNT_URL"],
  },
  // OAuth 2.1 + OIDC authorization server (MCP-ready).
  oauthProvider: {
    autoIncludes: ["jwt"],
    urls: ["ACCOUNT_URL", "BETTER_AUTH_URL"],
  },
  // A second factor (TOTP, backup codes) after a password sign-in; enabling and disabling it takes the password.
  twoFactor: { needsPasswordSignIn: true },
  // User management for the config's admins (admin.userEmails): list, roles, bans, sessions, impersonation, deletion.
  admin: {},
};

export function isPluginName(name: string): name is PluginName {
  return (PLUGIN_NAMES as readonly string[]).includes(name);
}

/** Plugins a person can sign in with when email + password is off, in SIGN_IN_METHODS order. */
export function signInPlugins(): PluginName[] {
  return SIGN_IN_METHODS.flatMap((method) => PLUGIN_NAMES.filter((name) => PLUGINS[name].signIn === method));
}

/**
 * The D1 tables every stack has, whatever its plugins: Better Auth's core, D1 rate limiting
 * (worker/auth/rate-limit.ts), authform's own per-account limits and the audit log
 * (worker/audit/). Every stack gets every table (one migration history), so these lists say who
 * owns a table, not which stacks have it.
 */
export const CORE_TABLES = [
  "user",
  "session",
  "account",
  "verification",
  "rateLimit",
  "accountAttempt",
  "auditLog",
  // Webhook deliveries that used up their retries (worker/webhooks/dead-letters.ts), config or not.
  "webhookDeadLetter",
] as const;

/**
 * The D1 tables each plugin adds, by table name (worker/db/schema.ts, migrations/); emailOtp and
 * magicLink keep their codes and tokens in `verification`. Apart from PLUGINS so the Worker, which
 * reads PLUGINS, does not bundle the names. test/contract/plugin-tables.test.ts checks them against
 * the migrated database and Better Auth's own plugin schemas.
 */
export const PLUGIN_TABLES: Record<PluginName, readonly string[]> = {
  emailOtp: [],
  anonymous: [],
  upgradeAnonymous: [],
  magicLink: [],
  passkey: ["passkey"],
  jwt: ["jwks"],
  apiKey: ["apikey"],
  organization: ["organization", "member", "invitation"],
  oauthProvider: [
    "oauthClient",
    "oauthResource",
    "oauthClientResource",
    "oauthRefreshToken",
    "oauthAccessToken",
    "oauthConsent",
    "oauthClientAssertion",
  ],
  twoFactor: ["twoFactor"],
  // Its fields sit on core tables: user.role, banned, banReason, banExpires; session.impersonatedBy.
  admin: [],
};
