/** The catalogue of environment variables authform reads or gives the Worker, with why each exists. */
import type { ResolvedConfig } from "../config/types.ts";
import { PLUGIN_NAMES, PLUGINS } from "../contract/plugins.ts";
import { genericProviderVars, SOCIAL_PROVIDER_IDS, SOCIAL_PROVIDERS } from "../contract/social-providers.ts";
import { SES_TRANSPORT } from "../contract/transports.ts";
import type { Mode } from "./types.ts";

export interface EnvVarInfo {
  name: string;
  /** Secrets go to Worker secrets (encrypted in state) and are never printed. */
  secret: boolean;
  /** Read by the infrastructure program only; never given to the Worker. */
  deployOnly?: boolean;
  description: string;
}

export const ENV_VARS: EnvVarInfo[] = [
  {
    name: "BETTER_AUTH_SECRET",
    secret: true,
    description:
      "Signs sessions and tokens. Generated once per stage and kept encrypted in state when unset.",
  },
  {
    name: "BETTER_AUTH_PREVIOUS_SECRET",
    secret: true,
    description:
      "After rotating BETTER_AUTH_SECRET: the old value, for one overlap (a day is plenty), so keys and tokens it protected keep working.",
  },
  {
    name: "AUTHFORM_JWT_PREVIOUS_SECRET",
    secret: true,
    description:
      "Only with auth.jwt.secretEnv set: that secret's old value after a rotation, for one fast-path token lifetime.",
  },
  {
    name: "BETTER_AUTH_URL",
    secret: false,
    description:
      "Public origin of the auth API (e.g. https://api.example.com). Required to deploy unless runtime.domains sets it; local mode uses the local URL.",
  },
  {
    name: "ACCOUNT_URL",
    secret: false,
    description: "Origin of the Account SPA; the passkey relying party. Defaults to BETTER_AUTH_URL.",
  },
  {
    name: "APP_URL",
    secret: false,
    description: "Your app's origin: trusted for redirects and CORS. Defaults to ACCOUNT_URL.",
  },
  {
    name: "APP_NAME",
    secret: false,
    description: "Shown in emails and passkey prompts. Defaults to the config's name.",
  },
  { name: "EMAIL_FROM", secret: false, description: "Sender address for auth emails." },
  { name: "EMAIL_FROM_NAME", secret: false, description: "Sender display name." },
  { name: "EMAIL_REPLY_TO", secret: false, description: "Reply-to address. Defaults to EMAIL_FROM." },
  { name: "AWS_SES_REGION", secret: false, description: "SES region, when email.provider is 'aws-ses'." },
  {
    name: "AWS_SES_ENDPOINT",
    secret: false,
    description:
      "Overrides the SES API origin (e.g. a local SES emulator). In local mode, setting it sends mail through SES.",
  },
  {
    name: "AWS_ACCESS_KEY_ID",
    secret: true,
    description: "SES credentials, when email.provider is 'aws-ses'.",
  },
  {
    name: "AWS_SECRET_ACCESS_KEY",
    secret: true,
    description: "SES credentials, when email.provider is 'aws-ses'.",
  },
  ...SOCIAL_PROVIDER_IDS.flatMap((id): EnvVarInfo[] => {
    const { label, clientIdVar, clientSecretVar, secretNote } = SOCIAL_PROVIDERS[id];
    return [
      {
        name: clientIdVar,
        secret: false,
        description: `With socialProviders.${id}: the ${label} OAuth client's id. Required to deploy; local mode leaves ${label} sign-in off without it.`,
      },
      {
        name: clientSecretVar,
        secret: true,
        description: `With socialProviders.${id}: the ${label} OAuth client's secret (a Worker secret)${secretNote ? `: ${secretNote}` : ""}.`,
      },
    ];
  }),
  {
    name: "AUTHFORM_OAUTH_PROXY_SECRET",
    secret: true,
    description:
      "With auth.oauthProxy: seals social sign-ins the stable stage forwards to previews. The same random value (32+ characters) on the stable stage and every preview; never generated.",
  },
  {
    name: "AUTHFORM_SOCIAL_LOOPBACK",
    secret: false,
    description:
      "Local mode only (a deploy refuses it): provider endpoints on loopback stand-ins, e.g. google=http://127.0.0.1:4001,github=http://127.0.0.1:4002.",
  },
  {
    name: "AUTHFORM_CIMD_LOOPBACK",
    secret: false,
    description:
      "Local mode only (a deploy refuses it): client metadata documents of https hosts served from loopback stand-ins, e.g. https://agent.example.com=http://127.0.0.1:4100.",
  },
  {
    name: "CLOUDFLARE_API_TOKEN",
    secret: true,
    deployOnly: true,
    description: "Set it to deploy to Cloudflare; without it the stack runs locally on workerd.",
  },
  {
    name: "CLOUDFLARE_ACCOUNT_ID",
    secret: false,
    deployOnly: true,
    description: "The Cloudflare account to deploy to.",
  },
  {
    name: "CLOUDFLARE_WORKERS_SUBDOMAIN",
    secret: false,
    deployOnly: true,
    description:
      "The account's workers.dev subdomain: with runtime.domains, a preview stage serves on https://<app>-<stage>.<subdomain>.workers.dev.",
  },
  {
    name: "ALCHEMY_PASSWORD",
    secret: true,
    deployOnly: true,
    description: "Encrypts secrets in Alchemy state. Required to deploy; local mode has a fixed default.",
  },
  {
    name: "AUTHFORM_STATE_STORE",
    secret: false,
    deployOnly: true,
    description: "Where deploy state lives: file (default on your machine), cloudflare (default in CI), s3.",
  },
  {
    name: "ALCHEMY_STATE_TOKEN",
    secret: true,
    deployOnly: true,
    description:
      "The Cloudflare state store's token: a long random string, the same for every deploy to the account.",
  },
  {
    name: "AUTHFORM_STATE_BUCKET",
    secret: false,
    deployOnly: true,
    description: "With AUTHFORM_STATE_STORE=s3: the existing S3 bucket that holds deploy state.",
  },
  {
    name: "AUTHFORM_STATE_REGION",
    secret: false,
    deployOnly: true,
    description: "With AUTHFORM_STATE_STORE=s3: the bucket's region (default AWS_REGION).",
  },
  {
    name: "AUTHFORM_STATE_PREFIX",
    secret: false,
    deployOnly: true,
    description: "With AUTHFORM_STATE_STORE=s3: key prefix in the bucket (default alchemy/).",
  },
  {
    name: "AUTHFORM_LOCAL_IN_FLIGHT",
    secret: false,
    deployOnly: true,
    description:
      "Local mode: requests let into workerd at once, the rest queued in the program (default 8; 0 = no limit).",
  },
  {
    name: "STAGE",
    secret: false,
    deployOnly: true,
    description: "Default stage when --stage is not given (else your user name).",
  },
];

export const ENV_VAR_NAMES = new Set(ENV_VARS.map((v) => v.name));

/**
 * What else the program reads from its environment: platform conventions nobody sets in .env for
 * authform (Cloudflare's Global API Key, Alchemy's Cloudflare API base URL, the AWS SDK's region,
 * CI, DEBUG for stack traces, the user name behind the default stage). With ENV_VARS this names every variable src/ reads; test/plan/env-reads.test.ts holds src to it.
 */
export const PLATFORM_ENV_VARS: readonly string[] = [
  "CLOUDFLARE_API_KEY",
  // Alchemy's own override of api.cloudflare.com; the preflight follows it so both talk to one API.
  "CLOUDFLARE_BASE_URL",
  "AWS_REGION",
  "CI",
  // Failure reports add the underlying error and its stack (src/cli/report-failure.ts).
  "DEBUG",
  "USER",
  "LOGNAME",
];

/** A var the plan needs but neither the config nor the environment provides. */
export interface MissingVar {
  name: string;
  reason: string;
}

/** Vars a config needs in a mode, each with the reason a person reads when it is missing. */
export function requiredVars(config: ResolvedConfig, mode: Mode): MissingVar[] {
  const required: MissingVar[] = [];
  if (mode === "deploy") {
    required.push({ name: "BETTER_AUTH_URL", reason: "the public origin of the auth API" });
    required.push({ name: "ALCHEMY_PASSWORD", reason: "it encrypts this stage's secrets in state" });
    for (const name of PLUGIN_NAMES) {
      if (!config.auth.plugins[name]) continue;
      // The relying party's origin has no safe default on a deploy.
      for (const url of PLUGINS[name].secureUrls ?? []) {
        required.push({ name: url, reason: `${name} needs the relying-party origin` });
      }
    }
  }
  if (mode === "deploy") {
    for (const id of SOCIAL_PROVIDER_IDS) {
      if (!config.auth.socialProviders[id]) continue;
      const { label, clientIdVar, clientSecretVar } = SOCIAL_PROVIDERS[id];
      required.push({
        name: clientIdVar,
        reason: `socialProviders.${id} needs the ${label} OAuth client's id`,
      });
      required.push({
        name: clientSecretVar,
        reason: `socialProviders.${id} needs the ${label} OAuth client's secret`,
      });
    }
    config.auth.genericOAuth.forEach(({ providerId }, i) => {
      const { clientIdVar, clientSecretVar } = genericProviderVars(providerId);
      required.push({
        name: clientIdVar,
        reason: `genericOAuth[${i}] (${providerId}) needs its OAuth client's id`,
      });
      required.push({
        name: clientSecretVar,
        reason: `genericOAuth[${i}] (${providerId}) needs its OAuth client's secret`,
      });
    });
  }
  // A webhook's signing secret is the receiver's as much as ours: never generated, in any mode.
  config.auth.webhooks.forEach((endpoint, i) => {
    if (required.some((r) => r.name === endpoint.secretEnv)) return;
    required.push({
      name: endpoint.secretEnv,
      reason: `webhooks[${i}] (${endpoint.url}) signs with it: a Standard Webhooks secret, whsec_ + base64 of 24–64 random bytes (e.g. "whsec_$(openssl rand -base64 32)")`,
    });
  });
  if (config.auth.email.provider === "aws-ses" && mode === "deploy") {
    for (const name of [...SES_TRANSPORT.secrets, ...SES_TRANSPORT.vars]) {
      required.push({ name, reason: "email.provider is 'aws-ses'" });
    }
  }
  return required;
}
