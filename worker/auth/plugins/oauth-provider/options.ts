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
  };
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
