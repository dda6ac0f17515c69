/** The deployment plan: everything the provision and generate layers need, derived without I/O. */
import type { EmailTransport, FastPathSettingsInput, RuntimeManifest } from "../contract/manifest.ts";
import type { PluginName } from "../contract/plugins.ts";
import type { WorkerRouteSpec } from "./routes.ts";

export type { EmailTransport, FastPathSettingsInput, RuntimeManifest, WorkerRouteSpec };

export interface CustomDomainSpec {
  /** The hostname bound to the Worker (Cloudflare creates its DNS record and certificate). */
  hostname: string;
  /** The Cloudflare zone to put it in; absent: the closest zone on the account that holds it. */
  zone?: string;
}

/** `local`: workerd on this machine; `deploy`: Cloudflare. */
export type Mode = "local" | "deploy";

export interface SecretSpec {
  name: string;
  /** `env`: taken from the environment; `generated`: made once per stage and kept in state. */
  source: "env" | "generated";
}

export interface SocialProviderPlan {
  /** A built-in provider's id, or a genericOAuth providerId. */
  id: string;
  /** The exact URL to register in the provider's dashboard for this stage. */
  callbackUrl: string;
  /** Where in the provider's dashboard it goes. */
  dashboard: string;
  /** Whether the environment gives its client id and secret (a deploy always does; local mode may not). */
  credentials: boolean;
  /** Local mode: the loopback origin standing in for the provider's endpoints. */
  loopback?: string;
}

/** auth.oauthProxy for this stage (docs/social-previews.md). */
export interface OAuthProxyPlan {
  /** `stable`: the providers call it back and it forwards previews' sign-ins; `preview`: it signs in through the stable stage. */
  role: "stable" | "preview";
  stableStage: string;
  /** The stable stage's origin: a preview's redirect URI is its callback URL. */
  stableUrl: string;
  /** The stable stage only: origins (or `<app>-pr-*` patterns) it forwards sign-ins to. */
  previewOrigins: string[];
}

export interface DeploymentPlan {
  app: string;
  stage: string;
  mode: Mode;
  /** A stage named in the config's productionStages: --destroy keeps its database unless --force. */
  production: boolean;
  /** Physical resource names, unique per app and stage. */
  names: {
    worker: string;
    database: string;
    kv?: string;
    /** Webhooks: the delivery queue and its dead-letter queue (absent without endpoints). */
    webhooks?: { queue: string; deadLetters: string };
  };
  /** The D1 database's settings the provisioner carries out. */
  database: {
    /** D1 read replicas (`readReplication: auto`): deploys with a storage backend that asks for them. Local mode has one D1. */
    readReplication: boolean;
  };
  plugins: PluginName[];
  autoIncluded: Partial<Record<PluginName, PluginName>>;
  emailTransport: EmailTransport;
  /** Social sign-in providers, each with the callback URL its dashboard must list for this stage. */
  socialProviders: SocialProviderPlan[];
  /** Social sign-in through a stable stage: absent when this stage uses its own callback URLs. */
  oauthProxy?: OAuthProxyPlan;
  urls: { api: string; account: string; app: string };
  /** Hostnames bound to the Worker as Cloudflare custom domains (the production stage of a config with domains). */
  customDomains: CustomDomainSpec[];
  /** Worker routes mounting authform's paths on the API hostname (production stage, `domains.mount: "routes"`). */
  workerRoutes: WorkerRouteSpec[];
  /** Who may call the Worker from a browser, and what the session cookie and passkeys are scoped to. */
  origins: {
    /** Origins granted CORS with credentials on /auth/v1 and /api/v1, and trusted by Better Auth. */
    trusted: string[];
    /** The session cookies' Domain attribute; absent when one host serves the API and the Account SPA. */
    cookieDomain?: string;
    /** The passkey relying party ID. */
    rpId: string;
  };
  /** Plain-text Worker vars (never secrets). */
  vars: Record<string, string>;
  /** Secret names and where each value comes from; values never enter the plan. */
  secrets: SecretSpec[];
  /** Worker bindings by name. */
  bindings: Record<string, "d1" | "send_email" | "kv" | "queue">;
  routes: { auth: string; api: string; wellKnown: string[] };
  compatibilityDate: string;
  compatibilityFlags: string[];
  /** Local mode: the port workerd serves on. */
  port?: number;
  /** Notes a person should read (e.g. a var overridden in local mode). */
  notes: string[];
  manifest: RuntimeManifest;
}
