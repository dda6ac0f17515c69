/** The shapes of an authform config: what a user writes, and what parsing resolves it to. */
import type { PasswordHashingProfile } from "../contract/manifest.ts";
import type { PluginName } from "../contract/plugins.ts";
import type { SocialProviderId } from "../contract/social-providers.ts";
import type { WebhookEndpoint, WebhookEvent } from "../contract/webhooks.ts";

/** Options of the seed's object form of `oauthProvider`. */
export interface OAuthProviderOptions {
  /** Path on ACCOUNT_URL of the consent screen. @default "/consent" */
  consentPage?: string;
  /** Path on ACCOUNT_URL of the login screen. @default "/login" */
  loginPage?: string;
  /** RFC 7591 dynamic client registration. @default true */
  allowDynamicClientRegistration?: boolean;
  /** Registration without a session (MCP clients need it). @default true */
  allowUnauthenticatedClientRegistration?: boolean;
  /** Audiences access tokens may be issued for. @default [BETTER_AUTH_URL] */
  validAudiences?: string[];
  /** Scopes clients may ask for. @default ["openid","profile","email","offline_access"] */
  scopes?: string[];
  /**
   * Protected resources (MCP servers, APIs) tokens are issued for (RFC 8707): `url` is the
   * `resource` clients send and the token's `aud`; `scopes` are the ones it understands, offered by
   * the authorization server too. https only; http only for localhost in local mode.
   * @example [{ url: "https://api.example.com/mcp", scopes: ["tools:read", "tools:call"] }]
   */
  resources?: OAuthResource[];
}

/** One entry of `oauthProvider.resources`. */
export interface OAuthResource {
  /** The resource's URL, exactly as clients send it: https, no fragment. */
  url: string;
  /** Scopes this resource understands (at least one). */
  scopes: string[];
}

/** Options of `emailOtp` (object form). */
export interface EmailOtpOptions {
  /** Seconds a code stays valid (1–3600). @default 300 */
  expiresIn?: number;
  /** Wrong codes accepted before the code is burnt (1–10). @default 3 */
  allowedAttempts?: number;
}

/** Options of `magicLink` (object form). */
export interface MagicLinkOptions {
  /** Seconds a link stays valid (1–86400). @default 300 */
  expiresIn?: number;
}

/** Options of `apiKey` (object form). */
export interface ApiKeyOptions {
  /**
   * Per-key rate limit, in Better Auth's units. Off by default: Better Auth resets a key's count
   * only after a quiet gap as long as `timeWindow`, so a client that never pauses that long is
   * refused once it has made `maxRequests` calls in total.
   */
  rateLimit?: {
    /** @default false */
    enabled?: boolean;
    /** Milliseconds (at least 1000). @default 60000 */
    timeWindow?: number;
    /** Requests a key may make per window. @default 1000 */
    maxRequests?: number;
  };
}

/** Options of `passkey` (object form). */
export interface PasskeyOptions {
  /**
   * Whether a passkey ceremony must prove the user (fingerprint, face, PIN), checked by the Worker.
   * @default "preferred"
   */
  userVerification?: "required" | "preferred";
}

/** Options of the twoFactor plugin. */
export interface TwoFactorOptions {
  /** The name authenticator apps list the code under. @default APP_NAME */
  issuer?: string;
  /**
   * Whether every user must turn on two-factor: until they do, a signed-in user can only enroll
   * (/api/v1 answers 403 two_factor_enrollment_required). @default false
   */
  required?: boolean;
}

/** Options of the admin plugin. */
export interface AdminOptions {
  /**
   * The admins' email addresses (1–100). An address counts once its owner has verified it; removing
   * one takes the rights away at once.
   */
  userEmails: string[];
  /** Roles admins may give users besides "user" (e.g. "support"); they grant no admin rights. @default [] */
  roles?: string[];
}

/** A plugin without options of its own yet: `{}` is the same as `true`. */
export type NoOptions = Record<string, never>;

/** Per-plugin options in the object form of `plugins`; `true` means defaults. */
export interface PluginOptionsInput {
  emailOtp?: boolean | EmailOtpOptions;
  anonymous?: boolean | NoOptions;
  upgradeAnonymous?: boolean | NoOptions;
  magicLink?: boolean | MagicLinkOptions;
  passkey?: boolean | PasskeyOptions;
  jwt?: boolean | NoOptions;
  apiKey?: boolean | ApiKeyOptions;
  organization?: boolean | NoOptions;
  oauthProvider?: boolean | OAuthProviderOptions;
  twoFactor?: boolean | TwoFactorOptions;
  /** Object form only: the admins must be named. */
  admin?: boolean | AdminOptions;
}

export interface EmailAndPasswordInput {
  /**
   * Password sign-in. Off unless the config enables it, as in Better Auth; required whenever
   * emailAndPassword is written, so password options never sit beside a switch left unsaid.
   */
  enabled: boolean;
  /** Whether new users may sign up with a password. @default true */
  allowSignUp?: boolean;
  /** @default 8 */
  minPasswordLength?: number;
  /** @default 128 */
  maxPasswordLength?: number;
  /** Refuse sign-in until the email is verified. @default false */
  requireEmailVerification?: boolean;
  /**
   * How passwords are hashed (scrypt, natively in workerd). `"standard"` is Better Auth's default
   * (N=16384 r=16 p=1, ~55 ms of CPU); `"workers-free"` (N=4096 r=8 p=1, ~5 ms) fits the free plan's
   * 10 ms CPU per request but makes each offline guess 8x cheaper. Changing it re-hashes each
   * password at its owner's next sign-in. @default "standard"
   */
  passwordHashing?: PasswordHashingProfile;
}

export type { PasswordHashingProfile };

export interface EmailInput {
  /** Which transport delivers mail. @default "cloudflare" (the send_email binding) */
  provider?: "cloudflare" | "aws-ses";
}

/** authform's /api/v1 fast-path token (separate from Better Auth's `jwt` plugin). */
export interface FastPathJwtInput {
  /** Lifetime: seconds, or "15m" / "1h" / "900s"; at most 24h. @default "15m" */
  expiresIn?: number | string;
  /** @default BETTER_AUTH_URL */
  issuer?: string;
  /** @default BETTER_AUTH_URL */
  audience?: string;
  /** The Worker secret the signing key is derived from. @default "BETTER_AUTH_SECRET" */
  secretEnv?: string;
  /** @default "HS256" (the only one accepted) */
  algorithm?: "HS256";
}

/** One social provider's options; its client id and secret come from the environment. */
export interface SocialProviderOptions {
  /** Scopes asked for besides the provider's defaults (google: openid email profile; github: read:user user:email). */
  scope?: string[];
}

/** Microsoft's options: which Entra tenant's accounts may sign in. */
export interface MicrosoftProviderOptions extends SocialProviderOptions {
  /** "common" (work, school and personal accounts), "organizations", "consumers", a tenant id or domain. @default "common" */
  tenantId?: string;
}

/** A generic OAuth 2.0 / OpenID Connect provider (Better Auth's genericOAuth plugin). */
export interface GenericOAuthInput {
  /**
   * Lower-case letters, digits and dashes; not a built-in provider's id. Its credentials come from
   * `<PROVIDERID>_CLIENT_ID` and `<PROVIDERID>_CLIENT_SECRET` (upper-snake: my-okta → MY_OKTA_…), and
   * its callback URL is `<BETTER_AUTH_URL>/auth/v1/callback/<providerId>`.
   */
  providerId: string;
  /** How the sign-in button names it. @default providerId */
  name?: string;
  /** The discovery document: https (http on loopback in local mode only). */
  discoveryUrl: string;
  /** Scopes asked for ("openid" is added for an OpenID Connect provider). */
  scopes?: string[];
}

/** The built-in providers' options, by id. */
export interface SocialProvidersInput {
  google?: SocialProviderOptions;
  github?: SocialProviderOptions;
  apple?: SocialProviderOptions;
  microsoft?: MicrosoftProviderOptions;
  discord?: SocialProviderOptions;
}

export interface AccountLinkingInput {
  /**
   * Providers whose sign-in links to an existing user with the same email even when the provider
   * does not say that email is verified. Only list a provider that verifies every address it
   * returns: otherwise anyone who can put your users' addresses on an account there can sign in
   * as them. @default [] (link only on a verified email)
   */
  trustedProviders?: SocialProviderId[];
}

export interface OAuthProxyInput {
  /** The stable stage, whose callback URLs are registered at the providers. @default the only production stage */
  stage?: string;
  /** The stable stage's BETTER_AUTH_URL origin. @default https://<runtime.domains.api> */
  url?: string;
  /**
   * Origins the stable stage may forward a sign-in to, besides this app's pull-request previews
   * (`https://<name>-pr-<n>.<CLOUDFLARE_WORKERS_SUBDOMAIN>.workers.dev`). Exact origins only. @default []
   */
  previewOrigins?: string[];
}

export interface AuditInput {
  /** Days an event is kept; a daily Cron Trigger removes older ones (1–3650). @default 90 */
  retentionDays?: number;
}

export interface WebhookEndpointInput {
  /** Where events are POSTed: https (http only for localhost). */
  url: string;
  /** The events this endpoint receives, e.g. ["user.created", "session.created"]. */
  events: WebhookEvent[];
  /** The environment variable holding the signing secret (Standard Webhooks: `whsec_` + base64). */
  secretEnv: string;
  /** Seconds before each retry of a failed delivery (≤ 20, each 1–43200); then the dead-letter queue. @default [5, 30, 120, 600, 1800, 7200, 21600, 43200] */
  retryDelaysSeconds?: number[];
}

export interface AuthOptionsInput {
  /**
   * Social sign-in. Each provider reads `<PROVIDER>_CLIENT_ID` and `<PROVIDER>_CLIENT_SECRET` from
   * the environment (a deploy without them stops at plan time); the callback URL to register is
   * printed by `--plan`. @default none
   */
  socialProviders?: SocialProvidersInput;
  /** Other OAuth/OIDC providers, found by discovery (Better Auth's genericOAuth). @default none */
  genericOAuth?: GenericOAuthInput[];
  accountLinking?: AccountLinkingInput;
  /**
   * Social sign-in on previews: provider apps accept a fixed list of callback URLs, so a preview
   * sends the provider to the stable stage's callback, which forwards the sealed result back to
   * the preview (docs/social-previews.md). Needs AUTHFORM_OAUTH_PROXY_SECRET on the stable stage
   * and every preview. @default none (each stage uses its own callback URLs)
   */
  oauthProxy?: OAuthProxyInput;
  /** The /api/v1 fast-path token. */
  jwt?: FastPathJwtInput;
  /** The audit log of security events (always on). */
  audit?: AuditInput;
  /**
   * Endpoints that receive signed events (Standard Webhooks) through a Cloudflare Queue; each one's
   * signing secret is read from the environment variable `secretEnv`. @default none
   */
  webhooks?: WebhookEndpointInput[];
  emailAndPassword?: EmailAndPasswordInput;
  /** Array form (`["passkey"]`) or object form (`{ passkey: {...} }`). */
  plugins?: PluginName[] | PluginOptionsInput;
  email?: EmailInput;
  /**
   * The OpenAPI 3.1 reference of this stack's API (its enabled plugins' endpoints and /api/v1),
   * served at /auth/v1/reference/openapi.json on every stage. It shows only what the stack already
   * answers to anyone (/api/v1/system/status lists the plugins); `false` leaves it out of the Worker.
   * @default true
   */
  reference?: boolean;
}

export interface DatabaseOptionsInput {
  /** Plain (non-secret) vars given to the Worker, as in the seed. */
  vars?: Record<string, string>;
}

/** Where a deployed stack lives: hostnames on a Cloudflare zone, served by the production stage. */
export interface DomainsInput {
  /** The API's hostname: BETTER_AUTH_URL becomes `https://<api>`. */
  api: string;
  /** The Account SPA's hostname: ACCOUNT_URL becomes `https://<account>`. @default the api hostname */
  account?: string;
  /**
   * The Cloudflare zone (a domain on the account) both hostnames belong to.
   * @default for each hostname, the closest zone on the account that holds it
   */
  zone?: string;
  /**
   * How the api hostname reaches the Worker on the production stage. `"custom-domain"`: the
   * Worker takes the whole hostname (Cloudflare creates its DNS record and certificate).
   * `"routes"`: the hostname stays with whatever serves it (another Worker, an origin proxied by
   * Cloudflare) and only authform's paths are routed to the Worker (`/auth/v1/*`, `/api/v1/*`, and
   * with oauthProvider the `/.well-known/` discovery documents). Routes mode needs `zone`, and an
   * `account` hostname of its own (it gets a custom domain).
   * @default "custom-domain"
   */
  mount?: "custom-domain" | "routes";
}

export interface RuntimeOptionsInput {
  /** Workers compatibility date. @default the date authform was tested with */
  compatibilityDate?: string;
  /**
   * Custom domains for the production stage (the only stage in `productionStages`); other stages
   * are previews on their workers.dev URL. @default none: every stage serves on workers.dev
   */
  domains?: DomainsInput;
  /**
   * The Domain of the session cookies when the API and the Account SPA are on different hosts.
   * Overrides the built-in registrable-domain guess; never a public suffix.
   * @default the registrable domain both hostnames share (api.example.com + account.example.com → example.com)
   */
  cookieDomain?: string;
  /**
   * Origins trusted besides the stack's own (`BETTER_AUTH_URL`, `ACCOUNT_URL`, `APP_URL`): CORS with
   * credentials on /auth/v1 and /api/v1, and Better Auth's origin and callbackURL checks. Each is
   * exactly an origin (`https://app2.example.com`, `http://localhost:5173`): no path, no wildcard;
   * plain http only for localhost, 127.0.0.1 and [::1]. Every stage gets them, local mode included.
   * @default [] (only the stack's own origins)
   */
  trustedOrigins?: string[];
  /**
   * Stages that hold real users' data: `--destroy` removes their Worker but keeps their D1
   * database and generated secrets unless `--force` is given. @default ["production"]
   */
  productionStages?: string[];
}

/**
 * `defineStorage("cloudflare-kv")` takes no options yet: the stage gets a KV namespace named
 * `<name>-<stage>-kv`, bound as AUTH_KV, holding sessions and copies of verification values;
 * rate-limit counters stay in D1 (README, "Storage: Workers KV"). Any key is refused by the schema.
 */
export type StorageOptionsInput = NoOptions;

export interface RuntimeProvider {
  kind: "runtime";
  provider: "cloudflare";
  options: RuntimeOptionsInput;
}
export interface DatabaseProvider {
  kind: "database";
  provider: "cloudflare-d1";
  options: DatabaseOptionsInput;
}
export interface AuthProvider {
  kind: "auth";
  provider: "better-auth";
  options: AuthOptionsInput;
}
export interface StorageProvider {
  kind: "storage";
  provider: "cloudflare-kv";
  options: StorageOptionsInput;
}

/** What a user writes in quickback.config.ts. */
export interface AuthformConfigInput {
  /** The app's name: prefixes every resource. Lowercase letters, digits and dashes. */
  name: string;
  providers: {
    runtime?: RuntimeProvider;
    database?: DatabaseProvider;
    auth: AuthProvider;
    storage?: StorageProvider;
  };
}

/** A config after parsing: every default applied, auto-includes resolved. */
export interface ResolvedConfig {
  name: string;
  runtime: {
    provider: "cloudflare";
    compatibilityDate: string;
    productionStages: string[];
    /** `mount` is present only in routes mode. */
    domains?: { api: string; account: string; zone?: string; mount?: "routes" };
    cookieDomain?: string;
    /** Extra trusted origins, normalised and deduplicated; absent when the config lists none. */
    trustedOrigins?: string[];
  };
  database: { provider: "cloudflare-d1"; vars: Record<string, string> };
  auth: {
    emailAndPassword: Required<EmailAndPasswordInput>;
    /** Whether the config wrote emailAndPassword at all: a stage that had passwords is not switched off unasked. */
    emailAndPasswordStated: boolean;
    /** Enabled plugins (explicit and auto-included), in catalogue order, with their options. */
    plugins: Partial<Record<PluginName, Record<string, unknown>>>;
    /** Plugins the config did not name but that were switched on for it, and by which. */
    autoIncluded: Partial<Record<PluginName, PluginName>>;
    email: { provider: "cloudflare" | "aws-ses" };
    /** The fast-path token settings the config gave (defaults are applied by the runtime). */
    fastPath: { expiresInSeconds?: number; issuer?: string; audience?: string; secretEnv?: string };
    /** The audit log's settings, defaults filled in. */
    audit: { retentionDays: number };
    /** Webhook endpoints, defaults filled in; empty when the config has none. */
    webhooks: WebhookEndpoint[];
    /** Configured social providers, in catalogue order, with their options. */
    socialProviders: Partial<Record<SocialProviderId, MicrosoftProviderOptions>>;
    /** Configured generic OAuth/OIDC providers, in config order. */
    genericOAuth: GenericOAuthInput[];
    /** Providers trusted to link by email without a verified address. */
    trustedProviders: SocialProviderId[];
    /** Previews' social sign-in through a stable stage; absent when the config has no oauthProxy. */
    oauthProxy?: { stage?: string; url?: string; previewOrigins: string[] };
    /** Whether the Worker serves the OpenAPI reference. */
    reference: boolean;
  };
  storage?: { provider: "cloudflare-kv"; options: StorageOptionsInput };
}
