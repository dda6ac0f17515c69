/**
 * The social sign-in providers, as plain data: one entry each. The config's schema, the plan's
 * required vars, secrets and callback URLs, `.env.example`, and the Worker's Better Auth
 * `socialProviders` read it. A new provider (apple, microsoft, discord) is one entry here, when
 * Better Auth has it under the same id.
 */
import { loopbackOrigin } from "./urls.ts";

export const SOCIAL_PROVIDER_IDS = ["google", "github"] as const;
export type SocialProviderId = (typeof SOCIAL_PROVIDER_IDS)[number];

export interface SocialProviderInfo {
  /** How a person names it. */
  label: string;
  /** The OAuth client id (a plain Worker var: it is public, sent in every authorization URL). */
  clientIdVar: string;
  /** The OAuth client secret (a Worker secret). */
  clientSecretVar: string;
  /** Scopes Better Auth always asks for; the config's `scope` adds to them. */
  defaultScopes: readonly string[];
  /** Where the callback URL is pasted. */
  dashboard: string;
  /**
   * Every URL Better Auth's code for this provider reaches, authorization endpoint first. Local
   * mode can map their origins to loopback stand-ins (AUTHFORM_SOCIAL_LOOPBACK), keeping each path.
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
};

/** The callback URL Better Auth answers for a provider: what its dashboard must list. */
export function socialCallbackUrl(authOrigin: string, basePath: string, id: SocialProviderId): string {
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
