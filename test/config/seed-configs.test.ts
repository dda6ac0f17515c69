import { describe, expect, it } from "vitest";
import {
  type AuthProvider,
  DEFAULT_COMPATIBILITY_DATE,
  defineAuth,
  defineConfig,
  defineDatabase,
  defineRuntime,
  parseConfig,
} from "../../src/config/index.ts";

/** The seed shows most samples as an `auth:` fragment; this is the smallest config around one. */
const withAuth = (auth: AuthProvider) => parseConfig(defineConfig({ name: "app", providers: { auth } }));

/**
 * The seed's jwt and oauthProvider fragments sign nobody in: they are enabled "in config", i.e. in
 * the seed's own config, which writes emailAndPassword: { enabled: true } (its first sample).
 */
const inSeedConfig = (options: Parameters<typeof defineAuth>[1]) =>
  withAuth(defineAuth("better-auth", { emailAndPassword: { enabled: true }, ...options }));

const OAUTH_DEFAULTS = {
  consentPage: "/consent",
  loginPage: "/login",
  allowDynamicClientRegistration: true,
  allowUnauthenticatedClientRegistration: true,
  scopes: ["openid", "profile", "email", "offline_access"],
};

describe("the seed's sample configs", () => {
  it("Email OTP with the SES vars: parses unchanged, keeps the vars, and still defaults to Cloudflare email", () => {
    const vars = {
      AWS_SES_REGION: "us-east-2",
      EMAIL_FROM: "noreply@yourdomain.com",
      EMAIL_FROM_NAME: "Your App | Account Services",
      APP_NAME: "Your App",
      APP_URL: "https://account.yourdomain.com",
      BETTER_AUTH_URL: "https://api.yourdomain.com",
    };
    const config = parseConfig(
      defineConfig({
        name: "quickback-api",
        providers: {
          runtime: defineRuntime("cloudflare"),
          database: defineDatabase("cloudflare-d1", { vars }),
          auth: defineAuth("better-auth", {
            emailAndPassword: { enabled: true },
            plugins: ["emailOtp"],
          }),
        },
      }),
    );
    expect(config).toEqual({
      name: "quickback-api",
      runtime: {
        provider: "cloudflare",
        compatibilityDate: DEFAULT_COMPATIBILITY_DATE,
        productionStages: ["production"],
      },
      database: { provider: "cloudflare-d1", vars },
      auth: {
        emailAndPassword: {
          enabled: true,
          allowSignUp: true,
          minPasswordLength: 8,
          maxPasswordLength: 128,
          requireEmailVerification: false,
          passwordHashing: "standard",
        },
        emailAndPasswordStated: true,
        plugins: { emailOtp: {} },
        autoIncluded: {},
        // SES is opt-in (email.provider: 'aws-ses'); the vars alone do not switch transports.
        email: { provider: "cloudflare" },
        fastPath: {},
        audit: { retentionDays: 90 },
        // No webhooks (and so no queues) unless the config lists endpoints.
        webhooks: [],
        // No social sign-in unless the config names providers.
        socialProviders: {},
        genericOAuth: [],
        trustedProviders: [],
        reference: true,
      },
    });
    expect(DEFAULT_COMPATIBILITY_DATE).toBe("2025-09-01");
  });

  it("SES opt-in: email.provider 'aws-ses' selects the SES transport", () => {
    const config = withAuth(
      defineAuth("better-auth", { plugins: ["emailOtp"], email: { provider: "aws-ses" } }),
    );
    expect(config.auth.email.provider).toBe("aws-ses");
  });

  it("Upgrade Anonymous: both plugins on, nothing auto-included", () => {
    const config = withAuth(
      defineAuth("better-auth", {
        emailAndPassword: { enabled: true },
        plugins: ["anonymous", "upgradeAnonymous"],
      }),
    );
    expect(config.auth.plugins).toEqual({ anonymous: {}, upgradeAnonymous: {} });
    expect(config.auth.autoIncluded).toEqual({});
  });

  it("Magic link: stays passwordless, as Better Auth would (password sign-in only when enabled)", () => {
    const config = withAuth(defineAuth("better-auth", { plugins: ["magicLink"] }));
    expect(config.auth.plugins).toEqual({ magicLink: {} });
    expect(config.auth.emailAndPassword.enabled).toBe(false);
    expect(config.auth.emailAndPasswordStated).toBe(false);
  });

  it("Passkeys: passwordless too", () => {
    const config = withAuth(defineAuth("better-auth", { plugins: ["passkey"] }));
    expect(config.auth.plugins).toEqual({ passkey: {} });
    expect(config.auth.emailAndPassword.enabled).toBe(false);
  });

  it("JWT and OAuth provider fragments alone sign nobody in: a config error naming the choices", () => {
    for (const plugins of [["jwt"], ["oauthProvider"]] as const) {
      expect(() => withAuth(defineAuth("better-auth", { plugins: [...plugins] }))).toThrow(
        'no way to sign in: password sign-in is off unless the config enables it and no sign-in plugin is enabled — choose one or more: emailAndPassword: { enabled: true }, or "emailOtp", "magicLink", "passkey", "anonymous" in plugins',
      );
    }
  });

  it("JWT plugin on its own is explicit, not auto-included", () => {
    const config = inSeedConfig({ plugins: ["jwt"] });
    expect(config.auth.plugins).toEqual({ jwt: {} });
    expect(config.auth.autoIncluded).toEqual({});
  });

  it("OAuth provider, array form: adds jwt and fills the seed's defaults", () => {
    const config = inSeedConfig({ plugins: ["oauthProvider"] });
    expect(Object.keys(config.auth.plugins)).toEqual(["jwt", "oauthProvider"]);
    expect(config.auth.plugins.oauthProvider).toEqual(OAUTH_DEFAULTS);
    expect(config.auth.autoIncluded).toEqual({ jwt: "oauthProvider" });
  });

  it("OAuth provider, the seed's object form: keeps every option given and adds jwt", () => {
    const config = inSeedConfig({
      plugins: {
        oauthProvider: {
          consentPage: "/consent",
          loginPage: "/login",
          allowDynamicClientRegistration: true,
          allowUnauthenticatedClientRegistration: true,
          validAudiences: ["https://api.example.com"],
          scopes: ["openid", "profile", "email", "offline_access"],
        },
      },
    });
    expect(config.auth.plugins).toEqual({
      jwt: {},
      oauthProvider: { ...OAUTH_DEFAULTS, validAudiences: ["https://api.example.com"] },
    });
    expect(config.auth.autoIncluded).toEqual({ jwt: "oauthProvider" });
  });

  it("OAuth provider, object form with some options: the rest get their defaults", () => {
    const config = inSeedConfig({
      plugins: {
        oauthProvider: { consentPage: "/approve", allowUnauthenticatedClientRegistration: false },
      },
    });
    expect(config.auth.plugins.oauthProvider).toEqual({
      ...OAUTH_DEFAULTS,
      consentPage: "/approve",
      allowUnauthenticatedClientRegistration: false,
    });
  });
});

describe("resolution", () => {
  it("organization brings apiKey, recorded as auto-included; naming apiKey yourself is not", () => {
    const auto = inSeedConfig({ plugins: ["organization"] });
    expect(auto.auth.plugins).toEqual({ apiKey: {}, organization: {} });
    expect(auto.auth.autoIncluded).toEqual({ apiKey: "organization" });
    const explicit = inSeedConfig({ plugins: ["organization", "apiKey"] });
    expect(explicit.auth.autoIncluded).toEqual({});
  });

  it("object form: true means defaults, false means off", () => {
    const config = withAuth(
      defineAuth("better-auth", { plugins: { passkey: true, magicLink: false, jwt: {} } }),
    );
    expect(config.auth.plugins).toEqual({ passkey: {}, jwt: {} });
  });

  it("lists plugins in catalogue order whatever order they were written in", () => {
    const a = withAuth(defineAuth("better-auth", { plugins: ["passkey", "emailOtp", "anonymous"] }));
    const b = withAuth(
      defineAuth("better-auth", { plugins: { anonymous: true, passkey: true, emailOtp: true } }),
    );
    expect(Object.keys(a.auth.plugins)).toEqual(["emailOtp", "anonymous", "passkey"]);
    expect(b.auth.plugins).toEqual(a.auth.plugins);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it("a sign-in plugin alone is enough when email + password is off", () => {
    const config = withAuth(
      defineAuth("better-auth", { emailAndPassword: { enabled: false }, plugins: ["passkey"] }),
    );
    expect(config.auth.emailAndPassword.enabled).toBe(false);
  });

  it("takes the password rules and compatibility date it is given", () => {
    const config = parseConfig(
      defineConfig({
        name: "app-2",
        providers: {
          runtime: defineRuntime("cloudflare", { compatibilityDate: "2025-10-15" }),
          auth: defineAuth("better-auth", {
            emailAndPassword: {
              enabled: true,
              minPasswordLength: 12,
              maxPasswordLength: 12,
              requireEmailVerification: true,
            },
          }),
        },
      }),
    );
    expect(config.runtime.compatibilityDate).toBe("2025-10-15");
    expect(config.auth.emailAndPassword).toMatchObject({
      minPasswordLength: 12,
      requireEmailVerification: true,
    });
  });

  it("two parses share no objects: changing one result leaves the next untouched", () => {
    const first = inSeedConfig({ plugins: ["oauthProvider"] });
    const scopes = first.auth.plugins.oauthProvider?.scopes;
    if (!Array.isArray(scopes)) throw new Error("expected oauthProvider scopes");
    scopes.push("admin");
    first.database.vars.X = "1";
    const second = inSeedConfig({ plugins: ["oauthProvider"] });
    expect(second.auth.plugins.oauthProvider?.scopes).toEqual(OAUTH_DEFAULTS.scopes);
    expect(second.database.vars).toEqual({});
  });
});
