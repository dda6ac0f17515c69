/** The zod schema of defineAuth("better-auth", {...}): plugins in both forms, email + password, email transport. */
import * as z from "zod";
import { PLUGIN_NAMES, type PluginName } from "../contract/plugins.ts";
import { preview } from "./describe-value.ts";
import { noOptions, report, unknownPlugin } from "./messages.ts";
import { checkAuthRules, type PluginSelection } from "./rules.ts";
import { isHttpUrl } from "./vars.ts";

const httpUrl = z
  .string()
  .refine(isHttpUrl, { error: (iss) => `expected an absolute http(s) URL, got ${preview(iss.input)}` });

const pagePath = z.string().regex(/^\/\S*$/, {
  error: (iss) => `expected a path on ACCOUNT_URL starting with "/", got ${preview(iss.input)}`,
});

/** An OAuth scope token (RFC 6749 §3.3: printable ASCII without spaces, quotes or backslashes). */
const scopeName = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, {
  error: (iss) => `expected a scope name without spaces, got ${preview(iss.input)}`,
});

const oauthProviderOptions = z
  .strictObject({
    consentPage: pagePath.default("/consent").describe("Path on ACCOUNT_URL of the consent screen."),
    loginPage: pagePath.default("/login").describe("Path on ACCOUNT_URL of the login screen."),
    allowDynamicClientRegistration: z.boolean().default(true),
    allowUnauthenticatedClientRegistration: z
      .boolean()
      .default(true)
      .describe("MCP clients register without a session."),
    validAudiences: z.array(httpUrl).min(1).optional().describe("Defaults to BETTER_AUTH_URL at runtime."),
    scopes: z.array(scopeName).min(1).default(["openid", "profile", "email", "offline_access"]),
  })
  .describe("Options of the oauthProvider plugin (object form).");

/** Lifetimes and attempts of the email sign-in plugins; an absent field takes the runtime default (its @default). */
const seconds = (max: number, what: string) =>
  z
    .int({
      error: (iss) =>
        iss.code === "invalid_type"
          ? `expected a whole number of seconds, got ${preview(iss.input)}`
          : undefined,
    })
    .min(1)
    .max(max, { error: (iss) => `expected at most ${max} seconds (${what}), got ${preview(iss.input)}` });

const emailOtpOptions = z
  .strictObject({
    expiresIn: seconds(3600, "a code is a short-lived secret")
      .optional()
      .describe("Seconds a code stays valid. @default 300"),
    allowedAttempts: z
      .int()
      .min(1)
      .max(10, {
        error: (iss) =>
          `expected at most 10 (each wrong guess is a chance to find the code), got ${preview(iss.input)}`,
      })
      .optional()
      .describe("Wrong codes accepted before the code is burnt. @default 3"),
  })
  .describe("Options of the emailOtp plugin (object form).");

const magicLinkOptions = z
  .strictObject({
    expiresIn: seconds(86_400, "a link is a short-lived secret")
      .optional()
      .describe("Seconds a link stays valid. @default 300"),
  })
  .describe("Options of the magicLink plugin (object form).");

/**
 * The per-key rate limit of apiKey, in Better Auth's own names and units (milliseconds). Off by
 * default: Better Auth resets a key's counter only after a quiet gap as long as the window, so a
 * client that never pauses that long is locked out once it has made maxRequests calls in total.
 */
const apiKeyOptions = z
  .strictObject({
    rateLimit: z
      .strictObject({
        enabled: z.boolean().optional().describe("Whether keys are rate limited. @default false"),
        timeWindow: z
          .int()
          .min(1000, {
            error: (iss) => `expected at least 1000 (milliseconds), got ${preview(iss.input)}`,
          })
          .optional()
          .describe("Milliseconds of the window. @default 60000"),
        maxRequests: z.int().min(1).optional().describe("Requests a key may make per window. @default 1000"),
      })
      .optional(),
  })
  .describe("Options of the apiKey plugin (object form).");

const passkeyOptions = z
  .strictObject({
    userVerification: z
      .enum(["required", "preferred"], {
        error: (iss) => `expected "required" or "preferred", got ${preview(iss.input)}`,
      })
      .optional()
      .describe(
        'Whether a passkey ceremony must prove the user (fingerprint, face, PIN), checked by the Worker. @default "preferred"',
      ),
  })
  .describe("Options of the passkey plugin (object form).");

/** The oauthProvider options a config gets when it names the plugin without options. */
export function defaultPluginOptions(name: PluginName): Record<string, unknown> {
  return name === "oauthProvider" ? oauthProviderOptions.parse({}) : {};
}

const toggleError = (iss: z.core.$ZodRawIssue) =>
  iss.code === "invalid_union"
    ? `expected true, false or an options object, got ${preview(iss.input)}`
    : undefined;

/** A plugin without options of its own yet: on, off, or `{}`. */
const simpleToggle = z
  .union([z.boolean(), z.strictObject({}, { error: noOptions("this plugin", "; use true") })], {
    error: toggleError,
  })
  .optional();

const oauthToggle = z.union([z.boolean(), oauthProviderOptions], { error: toggleError }).optional();
const emailOtpToggle = z.union([z.boolean(), emailOtpOptions], { error: toggleError }).optional();
const magicLinkToggle = z.union([z.boolean(), magicLinkOptions], { error: toggleError }).optional();
const apiKeyToggle = z.union([z.boolean(), apiKeyOptions], { error: toggleError }).optional();
const passkeyToggle = z.union([z.boolean(), passkeyOptions], { error: toggleError }).optional();

const pluginsObjectShape = {
  emailOtp: emailOtpToggle,
  anonymous: simpleToggle,
  upgradeAnonymous: simpleToggle,
  magicLink: magicLinkToggle,
  passkey: passkeyToggle,
  jwt: simpleToggle,
  apiKey: apiKeyToggle,
  organization: simpleToggle,
  oauthProvider: oauthToggle,
} satisfies Record<PluginName, z.ZodType>;

const pluginsObject = z
  .strictObject(pluginsObjectShape, {
    error: (iss) => (iss.code === "unrecognized_keys" ? iss.keys.map(unknownPlugin).join("; ") : undefined),
  })
  .transform((given): PluginSelection => {
    const selection: PluginSelection = { form: "object", on: {}, off: [], at: {} };
    for (const name of PLUGIN_NAMES) {
      const value = given[name];
      if (value === undefined) continue;
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
  .transform((names): PluginSelection => {
    const selection: PluginSelection = { form: "array", on: {}, off: [], at: {} };
    names.forEach((name, index) => {
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
  })
  .superRefine((auth, ctx) => report(ctx, checkAuthRules(auth)), {
    // Cross-plugin rules need both parts parsed; they still run when something else in the config is wrong.
    when: (payload) =>
      !payload.issues.some((i) => i.path?.[0] === "plugins" || i.path?.[0] === "emailAndPassword"),
  });
