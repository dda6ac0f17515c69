/** planDeployment: a pure function from config + environment to the DeploymentPlan. No I/O. */
import type { ResolvedConfig } from "../config/types.ts";
import { PLUGIN_NAMES, PLUGINS } from "../contract/plugins.ts";
import { STORAGE_BACKENDS, STORAGE_RESOURCES } from "../contract/storage.ts";
import { EMAIL_TRANSPORTS } from "../contract/transports.ts";
import { nonEmpty } from "../contract/urls.ts";
import { WEBHOOK_BINDINGS } from "../contract/webhooks.ts";
import { planCimdLoopback } from "./cimd-loopback.ts";
import { ENV_VARS, requiredVars } from "./env-vars.ts";
import { MissingEnvError } from "./errors.ts";
import { planOAuthProxy } from "./oauth-proxy.ts";
import { checkOAuthResources } from "./oauth-resources.ts";
import { wellKnownPaths } from "./routes.ts";
import { planSocialSignIn, SOCIAL_VARS } from "./social-sign-in.ts";
import type { DeploymentPlan, EmailTransport, Mode, SecretSpec } from "./types.ts";
import { planUrls } from "./urls.ts";
import { planWebhooks } from "./webhooks.ts";

export interface PlanInput {
  config: ResolvedConfig;
  /** The process environment (values are read for presence and plain vars only). */
  env: Record<string, string | undefined>;
  stage: string;
  mode: Mode;
  /** Local mode: the port workerd will serve on. */
  port?: number;
}

/** Vars a deploy with runtime.domains derives instead of requiring. */
const DERIVED_URL_VARS = new Set(["BETTER_AUTH_URL", "ACCOUNT_URL"]);

export function planDeployment({ config, env, stage, mode, port }: PlanInput): DeploymentPlan {
  if (mode === "local" && port === undefined) throw new Error("planDeployment: local mode needs a port");
  const configVars = config.database.vars;
  const lookup = (name: string): string | undefined => configVars[name] ?? nonEmpty(env[name]);

  // With runtime.domains a deploy derives its URLs (src/plan/urls.ts) instead of requiring them.
  const derived = mode === "deploy" && config.runtime.domains ? DERIVED_URL_VARS : new Set<string>();
  const missing = requiredVars(config, mode).filter(
    (v) => !derived.has(v.name) && lookup(v.name) === undefined,
  );
  if (missing.length > 0) throw new MissingEnvError(missing);
  checkOAuthResources(config, mode);

  // Plain vars: the config's own, plus catalogue vars the environment sets.
  const vars: Record<string, string> = { ...configVars };
  for (const v of ENV_VARS) {
    // Social sign-in's vars are its own plan's (only configured providers, loopback only locally), and
    // the CIMD stand-in map is cimd-loopback.ts's (local mode only).
    if (v.secret || v.deployOnly || SOCIAL_VARS.has(v.name) || vars[v.name] !== undefined) continue;
    if (v.name === "AUTHFORM_CIMD_LOOPBACK") continue;
    const value = nonEmpty(env[v.name]);
    if (value !== undefined) vars[v.name] = value;
  }

  const base = `${config.name}-${stage}`;
  const where = planUrls({ config, env, stage, mode, workerName: base, vars, port });
  const notes = [...where.notes];
  vars.BETTER_AUTH_URL = where.urls.api;
  vars.ACCOUNT_URL = where.urls.account;
  vars.APP_URL = where.urls.app;
  vars.AUTHFORM_TRUSTED_ORIGINS = where.trustedOrigins.join(",");
  if (where.cookieDomain !== undefined) vars.AUTHFORM_COOKIE_DOMAIN = where.cookieDomain;
  // A plugin with a relying party (secureUrls: passkey) gets its ID.
  if (PLUGIN_NAMES.some((name) => config.auth.plugins[name] && PLUGINS[name].secureUrls)) {
    vars.AUTHFORM_RP_ID = where.rpId;
  }
  // A preview's providers call the stable stage back (oauthProxy): its callback URLs are the stable stage's.
  const proxy = planOAuthProxy({ config, env, stage, mode, ownUrl: where.urls.api });
  const callbackOrigin = proxy.proxy?.role === "preview" ? proxy.proxy.stableUrl : where.urls.api;
  const social = planSocialSignIn(config, lookup, env, mode, callbackOrigin);
  Object.assign(vars, social.vars, proxy.vars, planCimdLoopback(config, env, mode));
  notes.push(...social.notes, ...proxy.notes);
  vars.APP_NAME ??= config.name;
  vars.AUTHFORM_STAGE = stage;
  vars.AUTHFORM_MODE = mode;

  const secrets: SecretSpec[] = [
    { name: "BETTER_AUTH_SECRET", source: nonEmpty(env.BETTER_AUTH_SECRET) ? "env" : "generated" },
  ];
  const fastPathSecret = config.auth.fastPath.secretEnv;
  if (fastPathSecret && fastPathSecret !== "BETTER_AUTH_SECRET") {
    secrets.push({ name: fastPathSecret, source: nonEmpty(env[fastPathSecret]) ? "env" : "generated" });
  }
  for (const name of ["BETTER_AUTH_PREVIOUS_SECRET", "AUTHFORM_JWT_PREVIOUS_SECRET"]) {
    if (nonEmpty(env[name])) secrets.push({ name, source: "env" });
  }
  secrets.push(...social.secrets, ...proxy.secrets);
  // The configured transport's credentials, when the environment gives them.
  for (const name of EMAIL_TRANSPORTS[config.auth.email.provider].secrets) {
    if (nonEmpty(env[name])) secrets.push({ name, source: "env" });
  }

  const emailTransport = chooseEmailTransport(config, env, mode);
  const bindings: DeploymentPlan["bindings"] = { DB: "d1" };
  const emailBinding = EMAIL_TRANSPORTS[emailTransport].binding;
  if (emailBinding) bindings[emailBinding.name] = emailBinding.kind;
  // defineStorage: a namespace for Better Auth's secondary storage (worker/auth/secondary-storage.ts).
  const storage = config.storage && STORAGE_RESOURCES[config.storage.provider];
  if (config.storage) {
    const { binding } = STORAGE_BACKENDS[config.storage.provider];
    bindings[binding.name] = binding.kind;
  }
  if (emailTransport === "cloudflare" && vars.EMAIL_FROM === undefined && sendsEmail(config)) {
    notes.push(
      "EMAIL_FROM is not set: Cloudflare Email Sending has no sender, so sign-in, verification and password-reset emails will fail (GET /api/v1/system/email-status answers false). Set EMAIL_FROM in the config's vars or the environment.",
    );
  }

  const webhooks = planWebhooks(config, base);
  if (webhooks) {
    secrets.push(...webhooks.secrets);
    bindings[WEBHOOK_BINDINGS.queue] = "queue";
    bindings[WEBHOOK_BINDINGS.deadLetters] = "queue";
    vars.AUTHFORM_WEBHOOKS_DLQ = webhooks.names.deadLetters;
  }

  const plugins = PLUGIN_NAMES.filter((name) => config.auth.plugins[name] !== undefined);
  return {
    app: config.name,
    stage,
    mode,
    production: config.runtime.productionStages.includes(stage),
    names: {
      worker: base,
      database: `${base}-db`,
      ...(storage ? { kv: `${base}${storage.resource.nameSuffix}` } : {}),
      ...(webhooks ? { webhooks: webhooks.names } : {}),
    },
    database: { readReplication: mode === "deploy" && storage?.replicatesD1 === true },
    plugins,
    autoIncluded: config.auth.autoIncluded,
    socialProviders: social.providers,
    ...(proxy.proxy ? { oauthProxy: proxy.proxy } : {}),
    emailTransport,
    urls: where.urls,
    customDomains: where.customDomains,
    workerRoutes: where.workerRoutes,
    origins: {
      trusted: where.trustedOrigins,
      ...(where.cookieDomain === undefined ? {} : { cookieDomain: where.cookieDomain }),
      rpId: where.rpId,
    },
    vars: sortKeys(vars),
    secrets,
    bindings,
    routes: {
      auth: "/auth/v1",
      api: "/api/v1",
      wellKnown: wellKnownPaths(config),
    },
    compatibilityDate: config.runtime.compatibilityDate,
    compatibilityFlags: ["nodejs_compat"],
    ...(mode === "local" ? { port } : {}),
    notes,
    manifest: {
      basePath: "/auth/v1",
      emailAndPassword: config.auth.emailAndPassword,
      plugins: config.auth.plugins,
      emailTransport,
      ...(config.storage ? { storage: config.storage.provider } : {}),
      fastPath: config.auth.fastPath,
      audit: config.auth.audit,
      ...(webhooks ? { webhooks: config.auth.webhooks } : {}),
      ...socialManifest(config),
      ...(proxy.proxy ? { oauthProxy: proxy.proxy.role } : {}),
      // Only written when off, so a default config's manifest (and bundle) stays as it was.
      ...(config.auth.reference ? {} : { reference: false as const }),
    },
  };
}

/**
 * The plan once the program serves the local outbox it picked: the Worker is told where it is.
 * The program starts the outbox only for such a plan (src/cli/main.ts); any other plan is returned as is.
 */
export function withOutboxUrl(plan: DeploymentPlan, outboxUrl: string): DeploymentPlan {
  if (plan.emailTransport !== "local-outbox") return plan;
  return { ...plan, vars: sortKeys({ ...plan.vars, AUTHFORM_OUTBOX_URL: outboxUrl }) };
}

/**
 * Local mode keeps mail on the machine: the local outbox, or SES only when AWS_SES_ENDPOINT points
 * it somewhere (a local emulator). Deploy mode uses the configured provider.
 */
function chooseEmailTransport(config: ResolvedConfig, env: PlanInput["env"], mode: Mode): EmailTransport {
  if (mode === "deploy") return config.auth.email.provider;
  return config.auth.email.provider === "aws-ses" && nonEmpty(env.AWS_SES_ENDPOINT)
    ? "aws-ses"
    : "local-outbox";
}

/** The manifest's social sign-in: only present when the config has providers, so other entries stay unchanged. */
function socialManifest(
  config: ResolvedConfig,
): Pick<DeploymentPlan["manifest"], "socialProviders" | "genericOAuth" | "trustedProviders"> {
  const generic = config.auth.genericOAuth;
  if (Object.keys(config.auth.socialProviders).length === 0 && generic.length === 0) return {};
  return {
    socialProviders: config.auth.socialProviders,
    ...(generic.length > 0 ? { genericOAuth: generic } : {}),
    ...(config.auth.trustedProviders.length > 0 ? { trustedProviders: config.auth.trustedProviders } : {}),
  };
}

/** Whether this auth setup can send email: password reset and verification, or a plugin that mails codes or links. */
function sendsEmail(config: ResolvedConfig): boolean {
  if (config.auth.emailAndPassword.enabled) return true;
  return PLUGIN_NAMES.some((name) => config.auth.plugins[name] !== undefined && PLUGINS[name].sendsEmail);
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
