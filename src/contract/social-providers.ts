/**
 * The social sign-in providers, as plain data: one entry each. The config's schema, the plan's
 * required vars, secrets and callback URLs, `.env.example`, and the Worker's Better Auth
 * `socialProviders` read it. A new provider is one entry here, when Better Auth has it under the
 * same id. Generic OAuth/OIDC providers (`genericOAuth`) are the config's own, named here too.
 */
import { loopbackOrigin } from "./urls.ts";

export const SOCIAL_PROVIDER_IDS = ["google", "github", "apple", "microsoft", "discord"] as const;
export type SocialProviderId = (typeof SOCIAL_PROVIDER_IDS)[number];

export interface SocialProviderInfo {
  /** How a person names it. */
  label: string;
  /** The OAuth client id (a plain Worker var: it is public, sent in every authorization URL). */
  clientIdVar: string;
  /** The OAuth client secret (a Worker secret). */
  clientSecretVar: string;
  /** What the secret is, when it is not a plain string from the dashboard. */
  secretNote?: string;
  /** Scopes Better Auth always asks for; the config's `scope` adds to them. */
  defaultScopes: readonly string[];
  /** Where the callback URL is pasted. */
  dashboard: string;
  /**
   * Every URL Better Auth's code for this provider reaches, authorization endpoint first; one
   * ending in "/" stands for every URL under it (Microsoft's tenant is in the path). Local mode can
   * map their origins to loopback stand-ins (AUTHFORM_SOCIAL_LOOPBACK), keeping each path.
   */
  endpoints: readonly string[];
}

export const SOCIAL_PROVIDERS: Record<SocialProviderId, SocialProviderInfo> = {
  google: {
    label: "Google",
    clientIdVar: "GOOGLE_CLIENT_ID",
    clientSecretVar: "GOOGLE_CLIENT_SECRET",
    defaultScopes: ["openid", "email", "profile"],
    dashboard:
      "Google Cloud console → APIs & Services → Credentials → your OAuth client → Authorized redirect URIs",
    endpoints: [
      "https://accounts.google.com/o/oauth2/v2/auth",
      "https://oauth2.googleapis.com/token",
      "https://www.googleapis.com/oauth2/v3/certs",
    ],
  },
  github: {
    label: "GitHub",
    clientIdVar: "GITHUB_CLIENT_ID",
    clientSecretVar: "GITHUB_CLIENT_SECRET",
    defaultScopes: ["read:user", "user:email"],
    dashboard: "GitHub → Settings → Developer settings → OAuth Apps → your app → Authorization callback URL",
    endpoints: [
      "https://github.com/login/oauth/authorize",
      "https://github.com/login/oauth/access_token",
      "https://api.github.com/user",
      "https://api.github.com/user/emails",
    ],
  },
  apple: {
    label: "Apple",
    clientIdVar: "APPLE_CLIENT_ID",
    clientSecretVar: "APPLE_CLIENT_SECRET",
    secretNote:
      "a JWT you sign (ES256) with your Sign in with Apple key; Apple accepts one for at most 6 months, so renew it before then",
    defaultScopes: ["email", "name"],
    dashboard:
      "Apple Developer → Certificates, Identifiers & Profiles → your Services ID → Sign in with Apple → Return URLs",
    endpoints: [
      "https://appleid.apple.com/auth/authorize",
      "https://appleid.apple.com/auth/token",
      "https://appleid.apple.com/auth/keys",
    ],
  },
  microsoft: {
    label: "Microsoft",
    clientIdVar: "MICROSOFT_CLIENT_ID",
    clientSecretVar: "MICROSOFT_CLIENT_SECRET",
    defaultScopes: ["openid", "profile", "email", "User.Read", "offline_access"],
    dashboard:
      "Microsoft Entra admin center → App registrations → your app → Authentication → Web → Redirect URIs",
    endpoints: [
      // https://login.microsoftonline.com/<tenant>/oauth2/v2.0/{authorize,token}, /<tenant>/discovery/v2.0/keys
      "https://login.microsoftonline.com/",
      // The profile photo Better Auth asks Microsoft Graph for after sign-in.
      "https://graph.microsoft.com/v1.0/me/photos/",
    ],
  },
  discord: {
    label: "Discord",
    clientIdVar: "DISCORD_CLIENT_ID",
    clientSecretVar: "DISCORD_CLIENT_SECRET",
    defaultScopes: ["identify", "email"],
    dashboard: "Discord Developer Portal → Applications → your app → OAuth2 → Redirects",
    endpoints: [
      "https://discord.com/api/oauth2/authorize",
      "https://discord.com/api/oauth2/token",
      "https://discord.com/api/users/@me",
    ],
  },
};

/** Where a form_post callback comes from: its origin must be trusted to POST with cookies (Apple). */
export const FORM_POST_ORIGINS: Partial<Record<SocialProviderId, string>> = {
  apple: "https://appleid.apple.com",
};

/** A generic OAuth/OIDC provider's id: lower-case, digits and dashes (it is a URL path segment). */
export const GENERIC_PROVIDER_ID = /^[a-z][a-z0-9-]{0,39}$/;

/** The env vars of a `genericOAuth` provider: `my-okta` → MY_OKTA_CLIENT_ID, MY_OKTA_CLIENT_SECRET. */
export function genericProviderVars(providerId: string): { clientIdVar: string; clientSecretVar: string } {
  const stem = providerId.toUpperCase().replace(/-/g, "_");
  return { clientIdVar: `${stem}_CLIENT_ID`, clientSecretVar: `${stem}_CLIENT_SECRET` };
}

/** A `genericOAuth` provider as the manifest carries it to the Worker. */
export interface GenericOAuthProvider {
  providerId: string;
  /** How the button names it (defaults to the id). */
  name?: string;
  /** The OpenID Connect discovery document (https; http loopback in local mode). */
  discoveryUrl: string;
  /** Scopes asked for; "openid" is added for an OIDC provider. */
  scopes?: string[];
}

/** The callback URL Better Auth answers for a provider: what its dashboard must list. */
export function socialCallbackUrl(authOrigin: string, basePath: string, id: string): string {
  return `${authOrigin.replace(/\/+$/, "")}${basePath}/callback/${id}`;
}

/**
 * AUTHFORM_SOCIAL_LOOPBACK: `google=http://127.0.0.1:4001,github=http://127.0.0.1:4002`, local
 * mode only. Returns the map, or the entries it could not read.
 */
export function parseSocialLoopback(
  value: string,
): { origins: Partial<Record<SocialProviderId, string>> } | { problems: string[] } {
  const origins: Partial<Record<SocialProviderId, string>> = {};
  const problems: string[] = [];
  for (const entry of value
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf("=");
    const id = entry.slice(0, eq);
    const url = entry.slice(eq + 1);
    if (eq <= 0 || !(SOCIAL_PROVIDER_IDS as readonly string[]).includes(id)) {
      problems.push(
        `"${entry}": expected <provider>=<loopback origin>, provider one of ${SOCIAL_PROVIDER_IDS.join(", ")}`,
      );
      continue;
    }
    const origin = loopbackOrigin(url);
    if (!origin) {
      problems.push(`"${entry}": expected an http origin on 127.0.0.1, localhost or [::1]`);
      continue;
    }
    origins[id as SocialProviderId] = origin;
  }
  return problems.length > 0 ? { problems } : { origins };
}
