/** The RuntimeManifest: what the plan tells the generated Worker, identical for every stage with the same config. */
import type { PluginName } from "./plugins.ts";
import type { GenericOAuthProvider, SocialProviderId } from "./social-providers.ts";
import type { WebhookEndpoint } from "./webhooks.ts";

export type EmailTransport = "cloudflare" | "aws-ses" | "local-outbox";

/** Where Better Auth's secondary storage lives: `cloudflare-kv` binds a KV namespace as AUTH_KV. */
export type StorageBackend = "cloudflare-kv";

/** A password hashing profile (see README, "Password hashing"). */
export type PasswordHashingProfile = "standard" | "workers-free";

/** Email + password sign-in with every default filled in. */
export interface EmailAndPasswordSettings {
  enabled: boolean;
  allowSignUp: boolean;
  minPasswordLength: number;
  maxPasswordLength: number;
  requireEmailVerification: boolean;
  passwordHashing: PasswordHashingProfile;
}

export interface FastPathSettingsInput {
  expiresInSeconds?: number;
  issuer?: string;
  audience?: string;
  /** The Worker secret the token key is derived from. */
  secretEnv?: string;
}

export interface RuntimeManifest {
  basePath: "/auth/v1";
  emailAndPassword: EmailAndPasswordSettings;
  plugins: Partial<Record<PluginName, Record<string, unknown>>>;
  emailTransport: EmailTransport;
  /** defineStorage(...): the secondary storage the plan bound; absent, D1 holds everything. */
  storage?: StorageBackend;
  /** The /api/v1 fast-path token; absent fields take the runtime defaults. */
  fastPath?: FastPathSettingsInput;
  /** The audit log (worker/audit/): how many days its events are kept; absent, the default. */
  audit?: { retentionDays: number };
  /** Webhook endpoints (worker/webhooks/); absent when the config has none. */
  webhooks?: WebhookEndpoint[];
  /** Social sign-in (src/contract/social-providers.ts); absent when the config has none. */
  socialProviders?: Partial<Record<SocialProviderId, { scope?: string[]; tenantId?: string }>>;
  /** Generic OAuth/OIDC providers (Better Auth's genericOAuth); absent when the config has none. */
  genericOAuth?: GenericOAuthProvider[];
  /** Providers that link to an existing user by email without a verified address. */
  trustedProviders?: SocialProviderId[];
  /** Social sign-in through a stable stage (auth.oauthProxy): this stage's role; absent when it uses its own callback URLs. */
  oauthProxy?: "stable" | "preview";
  /** `false` when the config turns the OpenAPI reference off; absent, the Worker serves it. */
  reference?: false;
}
