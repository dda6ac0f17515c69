/** The zod schema of quickback.config.ts: shapes, formats and defaults, with messages a person can act on. */
import * as z from "zod";
import { hostOf } from "../contract/urls.ts";
import { authOptions } from "./auth-schema.ts";
import { preview } from "./describe-value.ts";
import { noOptions, type PathIssue, report } from "./messages.ts";
import { checkTrustedOrigin } from "./trusted-origin.ts";
import { checkVars } from "./vars.ts";

/** Stages treated as production when the config names none: their data survives --destroy. */
export const DEFAULT_PRODUCTION_STAGES = ["production"] as const;

/** What `--stage` accepts (src/cli/args.ts checks the same shape). */
const STAGE_NAME = /^[a-z][a-z0-9-]{0,23}$/;

/** The Workers compatibility date authform is tested with. */
export const DEFAULT_COMPATIBILITY_DATE = "2025-09-01";

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  // Date normalises 2025-02-30 to March; a real date survives the round trip unchanged.
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const HOSTNAME = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

/** A bare hostname (`api.example.com`): no scheme, port or path; case does not matter. */
function hostname(example: string) {
  return z
    .string()
    .transform((value) => value.trim().toLowerCase().replace(/\.$/, ""))
    .superRefine((value, ctx) => {
      if (HOSTNAME.test(value)) return;
      const message = `expected a hostname like "${example}", got ${preview(value)}`;
      const host = /^[a-z]+:\/\//.test(value) ? hostOf(value) : undefined;
      report(ctx, [
        host ? { path: [], message, fix: `write the hostname only: "${host}"` } : { path: [], message },
      ]);
    });
}

/** One extra trusted origin, normalised (lowercase host, no default port); every bad entry is reported. */
const trustedOrigin = z.string().transform((value, ctx) => {
  const checked = checkTrustedOrigin(value);
  if ("origin" in checked) return checked.origin;
  report(ctx, [checked.issue]);
  return z.NEVER;
});

const inZone = (host: string, zone: string) => host === zone || host.endsWith(`.${zone}`);

const domainsOptions = z
  .strictObject({
    api: hostname("api.example.com").describe("The API's hostname: BETTER_AUTH_URL is https://<api>."),
    account: hostname("account.example.com")
      .optional()
      .describe("The Account SPA's hostname: ACCOUNT_URL is https://<account>. Default: the api hostname."),
    zone: hostname("example.com")
      .optional()
      .describe("The Cloudflare zone the hostnames are in. Default: the closest zone holding each."),
    mount: z
      .enum(["custom-domain", "routes"])
      .optional()
      .describe(
        'How the api hostname reaches the Worker: "custom-domain" (the whole hostname) or "routes" (only authform\'s paths on a hostname something else serves). Default: "custom-domain".',
      ),
  })
  .superRefine((domains, ctx) => {
    if (domains.mount === "routes") checkRoutesMount(domains, ctx);
    const { zone } = domains;
    if (zone === undefined) return;
    for (const key of ["api", "account"] as const) {
      const host = domains[key];
      if (host === undefined || inZone(host, zone)) continue;
      report(ctx, [
        {
          path: [key],
          message: `"${host}" is not in the zone "${zone}"`,
          fix: `use a hostname under ${zone}, or set zone to the Cloudflare zone that holds ${host}`,
        },
      ]);
    }
  });

/**
 * Routes mode mounts authform's paths on a hostname another app serves: Worker routes live in a
 * zone, so it must be named; the Account SPA's pages (/login, /account, /assets/…) are paths such
 * an app already uses, so the SPA gets a hostname of its own (a custom domain) instead.
 */
function checkRoutesMount(
  domains: { api: string; account?: string; zone?: string },
  ctx: z.core.$RefinementCtx,
): void {
  const problems: PathIssue[] = [];
  if (domains.zone === undefined) {
    problems.push({
      path: ["zone"],
      message: 'mount: "routes" needs the zone: Worker routes are created in a Cloudflare zone',
      fix: `set zone to the Cloudflare zone that holds ${domains.api}`,
    });
  }
  if (domains.account === undefined || domains.account === domains.api) {
    problems.push({
      path: ["account"],
      message: `mount: "routes" mounts only authform's API paths on ${domains.api}; the Account SPA (/login, /consent, /account, /accept-invitation, /reset-password, /assets/*) needs a hostname of its own`,
      fix: `set account to another hostname (e.g. "account.${domains.zone ?? "example.com"}"): it gets a custom domain`,
    });
  }
  report(ctx, problems);
}

const runtimeOptions = z
  .strictObject({
    compatibilityDate: z
      .string()
      .refine(isCalendarDate, {
        error: (iss) => `expected a date like "2025-09-01", got ${preview(iss.input)}`,
      })
      .default(DEFAULT_COMPATIBILITY_DATE),
    productionStages: z
      .array(
        z.string().regex(STAGE_NAME, {
          error: (iss) =>
            `expected a stage name (1–24 lowercase letters, digits or dashes, starting with a letter), got ${preview(iss.input)}`,
        }),
      )
      .default([...DEFAULT_PRODUCTION_STAGES])
      .describe("Stages whose D1 database and generated secrets --destroy keeps unless --force is given."),
    domains: domainsOptions
      .optional()
      .describe("Custom domains of the production stage; previews serve on their workers.dev URL."),
    cookieDomain: hostname("example.com")
      .optional()
      .describe("Domain attribute of the session cookies across the API and Account hosts."),
    trustedOrigins: z
      .array(trustedOrigin)
      .optional()
      .describe(
        "Origins trusted besides the stack's own URLs (CORS with credentials, Better Auth's checks).",
      ),
  })
  .superRefine((runtime, ctx) => {
    // One hostname can point at one Worker: two production stages would fight over it.
    if (runtime.domains && runtime.productionStages.length !== 1) {
      report(ctx, [
        {
          path: ["domains"],
          message: `domains are served by the production stage, so productionStages must name exactly one stage (it names ${runtime.productionStages.length})`,
          fix:
            runtime.productionStages.length === 0
              ? 'add the stage that owns the domains, e.g. productionStages: ["production"]'
              : "keep one production stage per config; give each other one its own config with its own domains",
        },
      ]);
    }
  });

const databaseOptions = z.strictObject({
  vars: z
    .record(z.string(), z.string())
    .superRefine((vars, ctx) => report(ctx, checkVars(vars)), {
      // A var with a non-string value must not hide problems with the others.
      when: (payload) => typeof payload.value === "object" && payload.value !== null,
    })
    .prefault({})
    .describe("Plain (non-secret) vars given to the Worker."),
});

const storageOptions = z.strictObject({}, { error: noOptions("storage") });

// ---- providers ----

const HELPERS = {
  runtime: { helper: "defineRuntime", provider: "cloudflare" },
  database: { helper: "defineDatabase", provider: "cloudflare-d1" },
  auth: { helper: "defineAuth", provider: "better-auth" },
  storage: { helper: "defineStorage", provider: "cloudflare-kv" },
} as const;

type Kind = keyof typeof HELPERS;

function isKind(value: unknown): value is Kind {
  return typeof value === "string" && Object.hasOwn(HELPERS, value);
}

/** Checks what define*() returns before its options: the wrong helper or provider explains the rest. */
function checkProviderShape(kind: Kind, value: unknown, ctx: z.core.$RefinementCtx): void {
  const { helper, provider } = HELPERS[kind];
  const call = `${helper}("${provider}")`;
  if (value === undefined) {
    report(ctx, [{ path: [], message: "is required", fix: `add ${kind}: ${call} to providers` }]);
    return;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    report(ctx, [{ path: [], message: `expected ${call}, got ${preview(value)}` }]);
    return;
  }
  const given = value as { kind?: unknown; provider?: unknown };
  if (isKind(given.kind) && given.kind !== kind) {
    const other = HELPERS[given.kind];
    report(ctx, [
      {
        path: [],
        message: `expected ${call}, got ${other.helper}(...)`,
        fix: `use ${helper} here; ${other.helper} belongs in providers.${given.kind}`,
      },
    ]);
  } else if (given.kind !== kind) {
    report(ctx, [
      {
        path: [],
        message: `expected ${call}, got ${preview(value)}`,
        fix: `wrap it: ${kind}: ${helper}("${provider}", { ... })`,
      },
    ]);
  } else if (given.provider === undefined) {
    report(ctx, [{ path: [], message: `expected a provider name, got nothing`, fix: `write ${call}` }]);
  } else if (given.provider !== provider) {
    report(ctx, [
      {
        path: [],
        message: `unsupported ${kind} provider ${preview(given.provider)} (authform supports ${call})`,
      },
    ]);
  }
}

function providerSchema<K extends Kind, O extends z.ZodType>(kind: K, options: O) {
  const { provider } = HELPERS[kind];
  return z
    .unknown()
    .superRefine((value, ctx) => checkProviderShape(kind, value, ctx))
    .pipe(
      z.strictObject({
        kind: z.literal(kind),
        provider: z.literal(provider as (typeof HELPERS)[K]["provider"]),
        options: options,
      }),
    );
}

const providers = z.strictObject({
  runtime: providerSchema("runtime", runtimeOptions.prefault({})).optional(),
  database: providerSchema("database", databaseOptions.prefault({})).optional(),
  auth: providerSchema("auth", authOptions.prefault({})),
  storage: providerSchema("storage", storageOptions.prefault({})).optional(),
});

/** A whole config: `export default defineConfig({ name, providers })`. */
export const configSchema = z.strictObject(
  {
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}$/, {
        error: (iss) =>
          `expected 1–32 lowercase letters, digits or dashes, starting with a letter, got ${preview(iss.input)}`,
      })
      .describe("The app's name: prefixes every resource."),
    providers,
  },
  {
    error: (iss) =>
      iss.code === "invalid_type"
        ? `expected a config object (export default defineConfig({ name, providers })), got ${preview(iss.input)}`
        : undefined,
  },
);

export type ParsedConfig = z.output<typeof configSchema>;
