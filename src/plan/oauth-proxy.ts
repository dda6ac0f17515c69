/**
 * The plan's oauthProxy (docs/social-previews.md): which role this stage plays, the stable stage's
 * URL (a preview's redirect URI is the stable stage's callback), the origins the stable stage may
 * forward to, and the shared secret that seals a forwarded sign-in.
 */
import type { ResolvedConfig } from "../config/types.ts";
import {
  OAUTH_PROXY_PREVIEWS_VAR,
  OAUTH_PROXY_SECRET_MIN_LENGTH,
  OAUTH_PROXY_SECRET_VAR,
  OAUTH_PROXY_STABLE_URL_VAR,
  prPreviewPattern,
} from "../contract/oauth-proxy.ts";
import { loopbackOrigin, nonEmpty, originOf } from "../contract/urls.ts";
import { OAuthProxyPlanError } from "./errors.ts";
import type { Mode, OAuthProxyPlan, SecretSpec } from "./types.ts";

export interface OAuthProxyInput {
  config: ResolvedConfig;
  env: Record<string, string | undefined>;
  stage: string;
  mode: Mode;
  /** This stage's own BETTER_AUTH_URL. */
  ownUrl: string;
}

export interface OAuthProxyResult {
  /** Absent: this stage uses its own callback URLs (no oauthProxy, another production stage, or local against a deployed stable stage). */
  proxy?: OAuthProxyPlan;
  vars: Record<string, string>;
  secrets: SecretSpec[];
  notes: string[];
}

export function planOAuthProxy({ config, env, stage, mode, ownUrl }: OAuthProxyInput): OAuthProxyResult {
  const result: OAuthProxyResult = { vars: {}, secrets: [], notes: [] };
  const options = config.auth.oauthProxy;
  if (!options) return result;
  const stableStage = options.stage ?? onlyProductionStage(config);
  const stableUrl = stableUrlOf(config, stableStage);
  const own = originOf(ownUrl) ?? ownUrl;
  const role = roleOf(config, stage, mode, stableStage, stableUrl, own);
  if (role === "off") {
    result.notes.push(
      mode === "local"
        ? `oauthProxy sends previews through ${stableUrl}, a deployed stage: this local stack uses its own callback URLs instead.`
        : `Stage ${stage} is a production stage but not oauthProxy's stable stage (${stableStage}): its providers must list its own callback URLs.`,
    );
    return result;
  }
  checkSecret(env);
  result.secrets.push({ name: OAUTH_PROXY_SECRET_VAR, source: "env" });
  result.vars[OAUTH_PROXY_STABLE_URL_VAR] = stableUrl;
  if (role === "preview") {
    result.proxy = { role, stableStage, stableUrl, previewOrigins: [] };
    result.notes.push(
      `Social sign-in on this preview goes through ${stableUrl}${mode === "deploy" ? ` (stage ${stableStage})` : ""}, which forwards it here only if ${own} is on its allow-list.`,
    );
    return result;
  }
  const previewOrigins = [...options.previewOrigins];
  const subdomain = nonEmpty(env.CLOUDFLARE_WORKERS_SUBDOMAIN);
  if (mode === "deploy" && subdomain) previewOrigins.unshift(prPreviewPattern(config.name, subdomain));
  if (previewOrigins.length === 0) {
    const why = `stage ${stableStage} is oauthProxy's stable stage, but no preview may receive a sign-in from it`;
    if (mode === "deploy") {
      throw new OAuthProxyPlanError([
        `${why}: set CLOUDFLARE_WORKERS_SUBDOMAIN (previews serve on ${prPreviewPattern(config.name, "<subdomain>")}) or list origins in oauthProxy.previewOrigins.`,
      ]);
    }
    result.notes.push(`${why}: list the local previews' origins in oauthProxy.previewOrigins.`);
  }
  result.vars[OAUTH_PROXY_PREVIEWS_VAR] = previewOrigins.join(",");
  result.proxy = { role, stableStage, stableUrl, previewOrigins };
  return result;
}

function onlyProductionStage(config: ResolvedConfig): string {
  const stages = config.runtime.productionStages;
  if (stages.length === 1) return stages[0] as string;
  throw new OAuthProxyPlanError([
    `oauthProxy.stage is not set and productionStages names ${stages.length} stages (${stages.join(", ") || "none"}): name the stable stage, e.g. oauthProxy: { stage: "production" }.`,
  ]);
}

/** oauthProxy.url, else the domains' API origin when the stable stage is the one that owns them. */
function stableUrlOf(config: ResolvedConfig, stableStage: string): string {
  const { url } = config.auth.oauthProxy ?? {};
  const domains = config.runtime.domains;
  const owner = domains && config.runtime.productionStages.includes(stableStage);
  const derived = owner ? `https://${domains.api}` : undefined;
  if (url !== undefined && derived !== undefined && url !== derived) {
    throw new OAuthProxyPlanError([
      `oauthProxy.url is ${url}, but stage ${stableStage} serves on ${derived} (runtime.domains.api): remove oauthProxy.url or make the two agree.`,
    ]);
  }
  const stableUrl = url ?? derived;
  if (stableUrl === undefined) {
    throw new OAuthProxyPlanError([
      `oauthProxy needs the stable stage's URL: set oauthProxy.url to stage ${stableStage}'s BETTER_AUTH_URL (e.g. "https://auth.example.com"), or configure runtime.domains.`,
    ]);
  }
  return stableUrl;
}

/**
 * Deploys: the stable stage, other production stages (off), every other stage a preview. Local
 * stacks only take part when the stable URL is itself local (two stacks on one machine): a local
 * stack never sends its sign-ins through a deployed stage, which would not forward them anyway.
 */
function roleOf(
  config: ResolvedConfig,
  stage: string,
  mode: Mode,
  stableStage: string,
  stableUrl: string,
  own: string,
): "stable" | "preview" | "off" {
  if (mode === "local") {
    if (loopbackOrigin(stableUrl) === undefined) return "off";
    // Local stacks serve on http://localhost:<port>: the port tells them apart, not the stage name.
    return own === stableUrl ? "stable" : "preview";
  }
  if (stage === stableStage) {
    if (own !== stableUrl) {
      throw new OAuthProxyPlanError([
        `stage ${stage} is oauthProxy's stable stage, but it serves on ${own}, not oauthProxy.url ${stableUrl}: previews would send the providers to the wrong place. Make the two agree.`,
      ]);
    }
    return "stable";
  }
  return config.runtime.productionStages.includes(stage) ? "off" : "preview";
}

function checkSecret(env: Record<string, string | undefined>): void {
  const secret = nonEmpty(env[OAUTH_PROXY_SECRET_VAR]);
  if (secret === undefined) {
    throw new OAuthProxyPlanError([
      `${OAUTH_PROXY_SECRET_VAR} is not set: the stable stage and every preview seal forwarded sign-ins with it, so it cannot be generated per stage. Set the same random value for all of them (e.g. "$(openssl rand -base64 32)").`,
    ]);
  }
  if (secret.length < OAUTH_PROXY_SECRET_MIN_LENGTH) {
    throw new OAuthProxyPlanError([
      `${OAUTH_PROXY_SECRET_VAR} is ${secret.length} characters; use at least ${OAUTH_PROXY_SECRET_MIN_LENGTH} random ones (e.g. "$(openssl rand -base64 32)").`,
    ]);
  }
}
