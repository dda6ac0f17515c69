/** The oauthProvider plugin's settings: the seed's object form (defaults filled by the config layer) resolved against the Worker's URLs. */
import type { WorkerEnv } from "../../../env.ts";

export interface OAuthProviderSettings {
  /** Absolute URL of the login page on ACCOUNT_URL. */
  loginPage: string;
  /** Absolute URL of the consent page on ACCOUNT_URL. */
  consentPage: string;
  allowDynamicClientRegistration: boolean;
  allowUnauthenticatedClientRegistration: boolean;
  /** RFC 8707 resource identifiers tokens may be issued for; exact strings, as clients must send them. */
  validAudiences: string[];
  /** The authorization server's own scopes (identity, refresh). */
  scopes: string[];
  /** Declared protected resources (MCP servers, APIs), each with the scopes it understands. */
  resources: ProtectedResource[];
}

export interface ProtectedResource {
  /** The `resource` clients send and the token's `aud`, exactly as the config wrote it. */
  url: string;
  scopes: string[];
}

export const DEFAULT_SCOPES = ["openid", "profile", "email", "offline_access"];

export function oauthProviderSettings(
  options: Record<string, unknown>,
  env: Pick<WorkerEnv, "ACCOUNT_URL" | "BETTER_AUTH_URL">,
): OAuthProviderSettings {
  return {
    loginPage: onAccount(env.ACCOUNT_URL, stringOr(options.loginPage, "/login")),
    consentPage: onAccount(env.ACCOUNT_URL, stringOr(options.consentPage, "/consent")),
    allowDynamicClientRegistration: booleanOr(options.allowDynamicClientRegistration, true),
    allowUnauthenticatedClientRegistration: booleanOr(options.allowUnauthenticatedClientRegistration, true),
    validAudiences: stringsOr(options.validAudiences, [env.BETTER_AUTH_URL]),
    scopes: stringsOr(options.scopes, DEFAULT_SCOPES),
    resources: resourcesOf(options.resources),
  };
}

/** Every audience a token may carry: the plain ones, then the declared resources. */
export function allAudiences(settings: OAuthProviderSettings): string[] {
  return unique([...settings.validAudiences, ...settings.resources.map((r) => r.url)]);
}

/** The scopes clients may ask for: the server's own, then every declared resource's. */
export function offeredScopes(settings: OAuthProviderSettings): string[] {
  return unique([...settings.scopes, ...settings.resources.flatMap((r) => r.scopes)]);
}

/** The scopes a resource's metadata offers: its own, or the server's (less openid) for a plain audience. */
export function scopesFor(settings: OAuthProviderSettings, resource: string): string[] {
  const declared = settings.resources.find((r) => r.url === resource);
  // openid is about the authorization server's userinfo, not a resource; offline_access stays, so
  // clients that ask for exactly these (the MCP SDK) still get a refresh token.
  const own = settings.scopes.filter((s) => s !== "openid");
  if (declared === undefined) return own;
  return unique([...declared.scopes, ...own.filter((s) => s === "offline_access")]);
}

function resourcesOf(value: unknown): ProtectedResource[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const { url, scopes } = (entry ?? {}) as { url?: unknown; scopes?: unknown };
    if (typeof url !== "string") return [];
    return [{ url, scopes: stringsOr(scopes, []) }];
  });
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** A path on ACCOUNT_URL, which may itself carry a path (https://example.com/account + /login). */
function onAccount(accountUrl: string, path: string): string {
  return `${accountUrl.replace(/\/+$/, "")}${path}`;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === "string" && value !== "" ? value : fallback;
}

function booleanOr(value: unknown, fallback: boolean): boolean {
  return typeof value === "boolean" ? value : fallback;
}

function stringsOr(value: unknown, fallback: string[]): string[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string")
    ? [...value]
    : fallback;
}
