/** The Worker's bindings and vars, exactly as the plan gives them. */
export interface WorkerEnv {
  DB: D1Database;
  /** defineStorage("cloudflare-kv"): Better Auth's secondary storage (worker/auth/secondary-storage.ts). */
  AUTH_KV?: KVNamespace;
  /** Test builds: "1" adds the count of D1 statements to every response (worker/db/d1-session.ts). */
  AUTHFORM_COUNT_D1_QUERIES?: string;
  BETTER_AUTH_SECRET: string;
  BETTER_AUTH_URL: string;
  ACCOUNT_URL: string;
  APP_URL: string;
  APP_NAME: string;
  AUTHFORM_STAGE: string;
  AUTHFORM_MODE: "local" | "deploy";
  /** During a BETTER_AUTH_SECRET rotation: the old value, so what it encrypted or signed stays readable (worker/auth/secrets.ts). */
  BETTER_AUTH_PREVIOUS_SECRET?: string;
  /** Comma-separated origins granted CORS with credentials and trusted by Better Auth (the plan's). */
  AUTHFORM_TRUSTED_ORIGINS?: string;
  /** The session cookies' Domain when the API and Account SPA are on different hosts of one site. */
  AUTHFORM_COOKIE_DOMAIN?: string;
  /** The passkey relying party ID (the cookie domain, or ACCOUNT_URL's hostname). */
  AUTHFORM_RP_ID?: string;
  /** During a secret rotation: the previous secret, so fast-path tokens it signed keep verifying. */
  AUTHFORM_JWT_PREVIOUS_SECRET?: string;
  /** Cloudflare Email Sending (email.provider 'cloudflare', deploy mode): the send_email binding. */
  EMAIL?: SendEmail;
  /** Local mode: where the program's outbox server (src/cli/outbox-server.ts) takes the Worker's emails. */
  AUTHFORM_OUTBOX_URL?: string;
  EMAIL_FROM?: string;
  EMAIL_FROM_NAME?: string;
  EMAIL_REPLY_TO?: string;
  /** SES (email.provider 'aws-ses'): credentials are Worker secrets, the rest plain vars. */
  AWS_ACCESS_KEY_ID?: string;
  AWS_SECRET_ACCESS_KEY?: string;
  AWS_SES_REGION?: string;
  /** Overrides the SES origin (a local emulator); default https://email.<region>.amazonaws.com. */
  AWS_SES_ENDPOINT?: string;
  /**
   * Social sign-in: `<PROVIDER>_CLIENT_ID` vars and `<PROVIDER>_CLIENT_SECRET` secrets, named by
   * src/contract/social-providers.ts (a genericOAuth provider's by its id: `genericProviderVars`).
   */
  GOOGLE_CLIENT_ID?: string;
  GOOGLE_CLIENT_SECRET?: string;
  GITHUB_CLIENT_ID?: string;
  GITHUB_CLIENT_SECRET?: string;
  APPLE_CLIENT_ID?: string;
  APPLE_CLIENT_SECRET?: string;
  MICROSOFT_CLIENT_ID?: string;
  MICROSOFT_CLIENT_SECRET?: string;
  DISCORD_CLIENT_ID?: string;
  DISCORD_CLIENT_SECRET?: string;
  /** auth.oauthProxy (worker/auth/social/oauth-proxy/): the secret sealing forwarded sign-ins, shared by the stable stage and its previews. */
  AUTHFORM_OAUTH_PROXY_SECRET?: string;
  /** auth.oauthProxy: the stable stage's origin, whose callback URLs the providers know. */
  AUTHFORM_OAUTH_PROXY_STABLE_URL?: string;
  /** auth.oauthProxy, stable stage only: origins (or `<app>-pr-*` patterns) it may forward a sign-in to. */
  AUTHFORM_OAUTH_PROXY_PREVIEWS?: string;
  /** Local mode and tests only: provider endpoints on loopback (worker/auth/social/loopback-endpoints.ts). */
  AUTHFORM_SOCIAL_LOOPBACK?: string;
  /** Local mode and tests only: client metadata documents' https origins on loopback (src/contract/cimd-loopback.ts). */
  AUTHFORM_CIMD_LOOPBACK?: string;
  /** Webhooks (worker/webhooks/): the delivery queue and its dead-letter queue, bound when the config has endpoints. */
  WEBHOOKS?: Queue<unknown>;
  WEBHOOKS_DLQ?: Queue<unknown>;
  /** The dead-letter queue's name, so the one `queue` handler tells the two queues' batches apart. */
  AUTHFORM_WEBHOOKS_DLQ?: string;
}
