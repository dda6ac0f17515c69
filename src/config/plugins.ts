/** The catalogue of auth plugins authform supports: names, what each needs, what each pulls in. */

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
] as const;

export type PluginName = (typeof PLUGIN_NAMES)[number];

export interface PluginInfo {
  /** One line a person reads in `--plan` and `/api/v1/system/status`. */
  summary: string;
  /** Plugins that must be enabled alongside; a config without them is an error with this fix. */
  requires?: PluginName[];
  /** Plugins switched on automatically when this one is (the seed's auto-includes). */
  autoIncludes?: PluginName[];
  /** Whether the plugin sends email (and so needs an email transport). */
  sendsEmail?: boolean;
}

export const PLUGINS: Record<PluginName, PluginInfo> = {
  emailOtp: { summary: "one-time codes by email", sendsEmail: true },
  anonymous: { summary: "guest sessions" },
  upgradeAnonymous: {
    summary: "turn a guest into a full user",
    requires: ["anonymous"],
  },
  magicLink: { summary: "sign-in links by email", sendsEmail: true },
  passkey: { summary: "WebAuthn passkeys" },
  jwt: { summary: "asymmetric JWTs and a JWKS endpoint" },
  apiKey: { summary: "static API keys for scripts and machines" },
  organization: {
    summary: "organizations, members and invitations",
    autoIncludes: ["apiKey"],
  },
  oauthProvider: {
    summary: "OAuth 2.1 + OIDC authorization server (MCP-ready)",
    autoIncludes: ["jwt"],
  },
};

export function isPluginName(name: string): name is PluginName {
  return (PLUGIN_NAMES as readonly string[]).includes(name);
}
