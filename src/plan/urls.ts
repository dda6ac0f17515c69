/** Where a stage serves: its public URLs, custom domains, trusted origins, cookie domain and passkey RP ID. */
import type { ResolvedConfig } from "../config/types.ts";
import { hostOf, nonEmpty, originOf } from "../contract/urls.ts";
import { domainMatches, isLocalOrIp, isPublicSuffix, registrableDomain } from "./domains.ts";
import { MissingEnvError, UrlPlanError } from "./errors.ts";
import { planWorkerRoutes, type WorkerRouteSpec } from "./routes.ts";
import type { CustomDomainSpec, Mode } from "./types.ts";

export interface UrlInput {
  config: ResolvedConfig;
  env: Record<string, string | undefined>;
  stage: string;
  mode: Mode;
  /** The stage's Worker name: a preview's workers.dev hostname starts with it. */
  workerName: string;
  /** Plain vars so far (the config's, then the environment's): where explicit URLs come from. */
  vars: Record<string, string>;
  /** Local mode: the port workerd serves on. */
  port?: number;
}

export interface UrlPlan {
  urls: { api: string; account: string; app: string };
  /** Custom domains the stage's Worker is bound to: only the production stage of a config with domains. */
  customDomains: CustomDomainSpec[];
  /** Worker routes on the API hostname: only the production stage of a config with `domains.mount: "routes"`. */
  workerRoutes: WorkerRouteSpec[];
  /**
   * Origins allowed to call /auth/v1 and /api/v1 with credentials (CORS) and trusted by Better Auth:
   * the origins of the three URLs, then runtime.trustedOrigins, without duplicates.
   */
  trustedOrigins: string[];
  /** The session cookies' Domain attribute; absent: host-only cookies (one host serves everything). */
  cookieDomain?: string;
  /** The passkey relying party ID: the cookie domain when there is one, else ACCOUNT_URL's hostname. */
  rpId: string;
  notes: string[];
}

/** Origins local mode pins to the local URL, whatever the config says, so one URL works. */
export const LOCAL_URL_VARS = ["BETTER_AUTH_URL", "ACCOUNT_URL", "APP_URL"] as const;

export function planUrls(input: UrlInput): UrlPlan {
  const { config, mode } = input;
  const domains = config.runtime.domains;
  if (mode === "local") return localUrls(input);
  if (!domains) return finish(input, explicitUrls(input), [], config.runtime.cookieDomain, [], []);
  if (config.runtime.productionStages.includes(input.stage)) return productionUrls(input, domains);
  return previewUrls(input, domains);
}

function localUrls({ vars, port, config }: UrlInput): UrlPlan {
  const localUrl = `http://localhost:${port}`;
  const notes: string[] = [];
  for (const name of LOCAL_URL_VARS) {
    const given = vars[name];
    if (given !== undefined && given !== localUrl) {
      notes.push(`${name} is ${given} in the config; local mode serves everything at ${localUrl}.`);
    }
  }
  if (config.runtime.domains) {
    notes.push(`runtime.domains apply to deploys; local mode serves everything at ${localUrl}.`);
  }
  const urls = { api: localUrl, account: localUrl, app: localUrl };
  // Extra origins stay trusted locally: a Vite dev server on another port is their main use.
  const trustedOrigins = [...new Set([localUrl, ...(config.runtime.trustedOrigins ?? [])])];
  return { urls, customDomains: [], workerRoutes: [], trustedOrigins, rpId: "localhost", notes };
}

/** No domains configured: the URLs are the vars (BETTER_AUTH_URL is required to deploy). */
function explicitUrls({ vars }: UrlInput): UrlPlan["urls"] {
  const api = vars.BETTER_AUTH_URL as string;
  const account = vars.ACCOUNT_URL ?? api;
  return { api, account, app: vars.APP_URL ?? account };
}

/** The production stage: URLs derived from the domains; an explicit var must agree with them. */
function productionUrls(
  input: UrlInput,
  domains: NonNullable<ResolvedConfig["runtime"]["domains"]>,
): UrlPlan {
  const problems: string[] = [];
  const derived = { BETTER_AUTH_URL: `https://${domains.api}`, ACCOUNT_URL: `https://${domains.account}` };
  const keys = { BETTER_AUTH_URL: "api", ACCOUNT_URL: "account" } as const;
  for (const name of ["BETTER_AUTH_URL", "ACCOUNT_URL"] as const) {
    const given = input.vars[name];
    if (given === undefined || sameOrigin(given, derived[name])) continue;
    const from = input.config.database.vars[name] !== undefined ? "the config's vars" : "the environment";
    problems.push(
      `${name} is ${given} (from ${from}), but runtime.domains.${keys[name]} makes it ${derived[name]}. Remove ${name} (it is derived from runtime.domains) or make the two agree.`,
    );
  }
  const urls = {
    api: derived.BETTER_AUTH_URL,
    account: derived.ACCOUNT_URL,
    app: input.vars.APP_URL ?? derived.ACCOUNT_URL,
  };
  const notes: string[] = [];
  let workerRoutes: WorkerRouteSpec[] = [];
  let hostnames = [...new Set([domains.api, domains.account])];
  if (domains.mount === "routes" && domains.zone !== undefined) {
    // The config schema guarantees a zone and a separate account hostname in routes mode.
    workerRoutes = planWorkerRoutes(domains.api, domains.zone, input.config);
    hostnames = hostnames.filter((h) => h !== domains.api);
    notes.push(
      `${domains.api} is mounted with Worker routes: its DNS record must already exist and be proxied through Cloudflare (routes never run on DNS-only records); authform does not create it.`,
    );
  }
  const customDomains = hostnames.map((hostname) => ({
    hostname,
    ...(domains.zone === undefined ? {} : { zone: domains.zone }),
  }));
  const plan = finish(input, urls, customDomains, input.config.runtime.cookieDomain, problems, notes);
  return { ...plan, workerRoutes };
}

/**
 * A preview (any stage but the production one): its own workers.dev URL, never production's. The
 * config's URL vars are production's, so they are overridden; the environment may set the
 * preview's own (e.g. APP_URL of the app's preview).
 */
function previewUrls(input: UrlInput, domains: NonNullable<ResolvedConfig["runtime"]["domains"]>): UrlPlan {
  const { env, config, stage, workerName } = input;
  const problems: string[] = [];
  const notes: string[] = [];
  const subdomain = nonEmpty(env.CLOUDFLARE_WORKERS_SUBDOMAIN);
  const workersDev = subdomain && `https://${workerName}.${subdomain}.workers.dev`;
  const fromEnv = nonEmpty(env.BETTER_AUTH_URL);
  const api = workersDev ?? fromEnv;
  if (api === undefined) {
    throw new MissingEnvError([
      {
        name: "CLOUDFLARE_WORKERS_SUBDOMAIN",
        reason: `stage ${stage} is a preview (runtime.domains belong to the production stage), so it serves on https://${workerName}.<subdomain>.workers.dev: the account's workers.dev subdomain is needed`,
      },
    ]);
  }
  if (workersDev && fromEnv && !sameOrigin(fromEnv, workersDev)) {
    problems.push(
      `BETTER_AUTH_URL is ${fromEnv} in the environment, but preview stage ${stage} serves on ${workersDev}. Unset BETTER_AUTH_URL for previews.`,
    );
  }
  const account = nonEmpty(env.ACCOUNT_URL) ?? api;
  const urls = { api, account, app: nonEmpty(env.APP_URL) ?? account };
  for (const name of LOCAL_URL_VARS) {
    const given = config.database.vars[name];
    if (given !== undefined)
      notes.push(`${name} is ${given} in the config; preview stage ${stage} uses its own URLs.`);
  }
  const production = new Set([domains.api, domains.account]);
  for (const [name, url] of [
    ["BETTER_AUTH_URL", urls.api],
    ["ACCOUNT_URL", urls.account],
    ["APP_URL", urls.app],
  ] as const) {
    if (production.has(hostOf(url) ?? "")) {
      problems.push(
        `${name} is ${url}, a production domain, but stage ${stage} is a preview: it would send users and emails to production. Unset ${name} for previews.`,
      );
    }
  }
  // The configured cookie domain is production's; a preview on workers.dev keeps host-only cookies.
  return finish(input, urls, [], undefined, problems, notes);
}

function finish(
  { config, stage }: UrlInput,
  urls: UrlPlan["urls"],
  customDomains: CustomDomainSpec[],
  cookieOverride: string | undefined,
  problems: string[],
  notes: string[],
): UrlPlan {
  const apiHost = hostOf(urls.api) ?? "";
  const accountHost = hostOf(urls.account) ?? "";
  const cookieDomain = chooseCookieDomain(apiHost, accountHost, cookieOverride, problems, notes);
  if (problems.length > 0) throw new UrlPlanError(problems);
  // The stack's own origins first, then runtime.trustedOrigins (already normalised by the config).
  const extra = config.runtime.trustedOrigins ?? [];
  const own = [urls.api, urls.account, urls.app].map((u) => originOf(u) ?? u);
  const trustedOrigins = [...new Set([...own, ...extra])];
  if (config.runtime.productionStages.includes(stage)) {
    for (const origin of extra.filter((o) => o.startsWith("http:"))) {
      notes.push(
        `runtime.trustedOrigins trusts ${origin} on production stage ${stage}: any page served there on a user's machine can call the API with their session.`,
      );
    }
  }
  return {
    urls,
    customDomains,
    workerRoutes: [],
    trustedOrigins,
    ...(cookieDomain === undefined ? {} : { cookieDomain }),
    rpId: cookieDomain ?? accountHost,
    notes,
  };
}

/**
 * The narrowest Domain that lets a cookie set by the API reach the Account SPA: none when they
 * share a host; else their common registrable domain (never a public suffix).
 */
function chooseCookieDomain(
  apiHost: string,
  accountHost: string,
  override: string | undefined,
  problems: string[],
  notes: string[],
): string | undefined {
  if (override !== undefined) {
    if (isPublicSuffix(override)) {
      problems.push(
        `runtime.cookieDomain "${override}" is a public suffix: browsers refuse such cookies, and they would reach other people's sites. Use your own domain.`,
      );
    }
    for (const host of new Set([apiHost, accountHost])) {
      if (!domainMatches(host, override)) {
        problems.push(
          `runtime.cookieDomain "${override}" does not cover ${host}: the session cookie would never reach it. Use a domain both hostnames end with.`,
        );
      }
    }
    return override;
  }
  if (apiHost === accountHost) return undefined;
  const api = registrableDomain(apiHost);
  const account = registrableDomain(accountHost);
  if (api === undefined || api !== account || isLocalOrIp(apiHost)) {
    notes.push(
      `The API (${apiHost}) and the Account SPA (${accountHost}) are on different sites, so they cannot share a session cookie: the Account SPA signs in on its own host.`,
    );
    return undefined;
  }
  return api;
}

function sameOrigin(given: string, derived: string): boolean {
  try {
    const url = new URL(given);
    return url.origin === derived && (url.pathname === "/" || url.pathname === "");
  } catch {
    return false;
  }
}
