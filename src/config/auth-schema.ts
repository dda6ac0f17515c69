/** The zod schema of defineAuth("better-auth", {...}): plugins in both forms, email + password, email transport. */
import * as z from "zod";
import { DEFAULT_AUDIT_RETENTION_DAYS } from "../contract/audit.ts";
import { PLUGIN_NAMES, type PluginName } from "../contract/plugins.ts";
import { preview } from "./describe-value.ts";
import { noOptions, report, unknownPlugin } from "./messages.ts";
import { oauthProxy } from "./oauth-proxy.ts";
import {
  defaultPluginOptions,
  optionsOf,
  type PLUGIN_OPTIONS,
  requiresOptions,
} from "./plugin-options/index.ts";
import { checkAuthRules, type PluginSelection } from "./rules.ts";
import { accountLinking, genericOAuth, socialProviders } from "./social-providers.ts";
import { webhooks } from "./webhooks.ts";

const toggleError = (iss: z.core.$ZodRawIssue) =>
  iss.code === "invalid_union"
    ? `expected true, false or an options object, got ${preview(iss.input)}`
    : undefined;

/** On, off, or an options object. */
const toggleWith = (options: z.ZodType<Record<string, unknown>>) =>
  z.union([z.boolean(), options], { error: toggleError }).optional();

/** The error for a plugin named without the options it cannot do without (admin's userEmails). */
function optionsRequired(name: PluginName, path: (string | number)[]) {
  return {
    path,
    message: `"${name}" needs options: it cannot be switched on by name alone`,
    fix: `write plugins as an object with ${name}'s options, e.g. { ${name}: { userEmails: ["you@example.com"] } }`,
  };
}

/** A plugin without options of its own yet takes only `{}`. */
const noPluginOptions = z.strictObject({}, { error: noOptions("this plugin", "; use true") });

/** The toggles' types, per name, so the config's types stay exact (test/config/types-agree-with-schema.test.ts). */
type Toggle<S extends z.ZodType> = z.ZodOptional<z.ZodUnion<[z.ZodBoolean, S]>>;
type Registered = typeof PLUGIN_OPTIONS;
type PluginToggles = { [N in keyof Registered]: Toggle<Registered[N]> } & {
  [N in Exclude<PluginName, keyof Registered>]: Toggle<typeof noPluginOptions>;
};

/** Each plugin's toggle, its options from its registration (src/config/plugin-options/). */
const pluginsObjectShape = Object.fromEntries(
  PLUGIN_NAMES.map((name) => [name, toggleWith(optionsOf(name) ?? noPluginOptions)]),
) as unknown as PluginToggles;

const pluginsObject = z
  .strictObject(pluginsObjectShape, {
    error: (iss) => (iss.code === "unrecognized_keys" ? iss.keys.map(unknownPlugin).join("; ") : undefined),
  })
  .transform((given, ctx): PluginSelection => {
    const selection: PluginSelection = { form: "object", on: {}, off: [], at: {} };
    for (const name of PLUGIN_NAMES) {
      const value = given[name];
      if (value === undefined) continue;
      if (value === true && requiresOptions(name)) report(ctx, [optionsRequired(name, [name])]);
      selection.at[name] = name;
      if (value === false) selection.off.push(name);
      else selection.on[name] = value === true ? defaultPluginOptions(name) : { ...value };
    }
    return selection;
  });

const pluginName = z.enum(PLUGIN_NAMES, { error: (iss) => unknownPlugin(iss.input) });

const pluginsArray = z
  .array(pluginName)
  .superRefine(
    (names, ctx) => {
      const seen = new Map<unknown, number>();
      names.forEach((name, index) => {
        const first = seen.get(name);
        if (first === undefined) seen.set(name, index);
        else if (typeof name === "string") {
          report(ctx, [
            { path: [index], message: `"${name}" is listed twice (first at [${first}])`, fix: "remove one" },
          ]);
        }
      });
    },
    // Report duplicates even when another entry is misspelt: every problem at once.
    { when: (payload) => Array.isArray(payload.value) },
  )
  .transform((names, ctx): PluginSelection => {
    const selection: PluginSelection = { form: "array", on: {}, off: [], at: {} };
    names.forEach((name, index) => {
      if (requiresOptions(name)) report(ctx, [optionsRequired(name, [index])]);
      selection.on[name] = defaultPluginOptions(name);
      selection.at[name] = index;
    });
    return selection;
  });

const plugins = z
  .union([pluginsArray, pluginsObject], {
    error: (iss) =>
      iss.code === "invalid_union"
        ? `expected a list of plugin names like ["passkey"] or an object like { passkey: true }, got ${preview(iss.input)}`
        : undefined,
  })
  .describe('Array form ["passkey"] or object form { passkey: true, oauthProvider: {...} }.');

const emailAndPassword = z
  .strictObject({
    // No default: password sign-in is an entry point, so a config that writes emailAndPassword says whether it is on.
    enabled: z.boolean({
      error: (iss) =>
        iss.input === undefined
          ? "is required: password sign-in is off unless enabled: true (write enabled: false to keep it off)"
          : `expected true or false, got ${preview(iss.input)}`,
    }),
    allowSignUp: z.boolean().default(true).describe("Whether new users may sign up with a password."),
    minPasswordLength: z
      .int()
      .min(6, {
        error: (iss) => `expected at least 6 (shorter passwords are guessable), got ${preview(iss.input)}`,
      })
      .default(8),
    maxPasswordLength: z
      .int()
      .max(1024, {
        error: (iss) =>
          `expected at most 1024 (every sign-in hashes the whole password), got ${preview(iss.input)}`,
      })
      .default(128),
    requireEmailVerification: z.boolean().default(false),
    passwordHashing: z
      .enum(["standard", "workers-free"], {
        error: (iss) => `expected "standard" or "workers-free", got ${preview(iss.input)}`,
      })
      .default("standard")
      .describe('scrypt cost profile; sign-in re-hashes a password made with another. @default "standard"'),
  })
  .superRefine((value, ctx) => {
    if (value.minPasswordLength <= value.maxPasswordLength) return;
    report(ctx, [
      {
        path: ["minPasswordLength"],
        message: `expected at most maxPasswordLength (${value.maxPasswordLength}), got ${value.minPasswordLength}`,
        fix: "lower minPasswordLength or raise maxPasswordLength",
      },
    ]);
  });

const email = z.strictObject({
  provider: z
    .enum(["cloudflare", "aws-ses"])
    .default("cloudflare")
    .describe("Which transport delivers auth email."),
});

/** "15m", "1h", "900s" or a number of seconds. */
const DURATION = /^(\d+)\s*(s|m|h)$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;

/** Fast-path tokens are stateless: a long lifetime is a long window after sign-out or a role change. */
const MAX_FAST_PATH_SECONDS = 24 * 3600;

const durationError = (iss: { input?: unknown }) =>
  `expected seconds or a duration like "15m" or "1h", got ${preview(iss.input)}`;
const duration = z
  .union([z.int().positive({ error: durationError }), z.string().regex(DURATION, { error: durationError })], {
    error: durationError,
  })
  .transform((value, ctx) => {
    const seconds =
      typeof value === "number"
        ? value
        : Number(DURATION.exec(value)?.[1]) *
          UNIT_SECONDS[DURATION.exec(value)?.[2] as keyof typeof UNIT_SECONDS];
    if (seconds > MAX_FAST_PATH_SECONDS) {
      ctx.addIssue({
        code: "custom",
        message: `expected at most 24h (a token cannot be revoked before it expires), got ${preview(value)}`,
      });
    }
    return seconds;
  });

/** authform's own /api/v1 fast-path token (not Better Auth's jwt plugin). */
const fastPathJwt = z
  .strictObject({
    expiresIn: duration.optional().describe("Token lifetime. @default 15m"),
    issuer: z.string().min(1).optional().describe("@default BETTER_AUTH_URL"),
    audience: z.string().min(1).optional().describe("@default BETTER_AUTH_URL"),
    secretEnv: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/, {
        error: (iss) =>
          `expected the name of a Worker secret like "API_TOKEN_SECRET", got ${preview(iss.input)}`,
      })
      .optional()
      .describe("The Worker secret the signing key is derived from. @default BETTER_AUTH_SECRET"),
    algorithm: z
      .literal("HS256", {
        error: (iss) => `expected "HS256" (the only algorithm accepted), got ${preview(iss.input)}`,
      })
      .optional(),
  })
  .describe("The /api/v1 fast-path token.");

/** The audit log (worker/audit/): how long its events are kept before the daily prune removes them. */
const audit = z
  .strictObject({
    retentionDays: z
      .number({ error: (iss) => `expected a whole number of days, got ${preview(iss.input)}` })
      .int({ error: (iss) => `expected a whole number of days, got ${preview(iss.input)}` })
      .min(1, { error: (iss) => `expected at least 1 day, got ${preview(iss.input)}` })
      .max(3650, {
        error: (iss) => `expected at most 3650 days (ten years), got ${preview(iss.input)}`,
      })
      .default(DEFAULT_AUDIT_RETENTION_DAYS)
      .describe(`Days an audit event is kept. @default ${DEFAULT_AUDIT_RETENTION_DAYS}`),
  })
  .describe("The audit log of security events.");

/** The resolved password settings of a config that does not write emailAndPassword: off, with the defaults. */
export function passwordSignInOff() {
  return emailAndPassword.parse({ enabled: false });
}

/** The options of defineAuth("better-auth", {...}). */
export const authOptions = z
  .strictObject({
    // Absent means off (as in Better Auth); resolve() fills the settings in (passwordSignInOff).
    emailAndPassword: emailAndPassword.optional(),
    plugins: plugins.prefault([]),
    email: email.prefault({}),
    jwt: fastPathJwt.optional(),
    audit: audit.prefault({}),
    webhooks: webhooks.optional(),
    socialProviders: socialProviders.optional(),
    genericOAuth: genericOAuth.optional(),
    accountLinking: accountLinking.optional(),
    oauthProxy: oauthProxy.optional(),
    reference: z
      .boolean({ error: (iss) => `expected true or false, got ${preview(iss.input)}` })
      .default(true)
      .describe("Serve the OpenAPI reference at /auth/v1/reference on every stage. @default true"),
  })
  .superRefine((auth, ctx) => report(ctx, checkAuthRules(auth)), {
    // Cross-plugin rules need both parts parsed; they still run when something else in the config is wrong.
    when: (payload) =>
      !payload.issues.some((i) =>
        [
          "plugins",
          "emailAndPassword",
          "socialProviders",
          "genericOAuth",
          "accountLinking",
          "oauthProxy",
        ].includes(String(i.path?.[0])),
      ),
  });
