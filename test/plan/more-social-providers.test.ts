/** Apple, Microsoft, Discord and genericOAuth in the config and the plan: credentials, callback URLs, clear errors. */
import { describe, expect, it } from "vitest";
import { stackOutputs } from "../../src/cli/outputs.ts";
import { formatSummary } from "../../src/cli/summary.ts";
import { parseConfig } from "../../src/config/parse.ts";
import type { AuthOptionsInput } from "../../src/config/types.ts";
import { defineAuth, defineConfig } from "../../src/index.ts";
import { GenericOAuthPlanError, MissingEnvError } from "../../src/plan/errors.ts";
import { formatPlan } from "../../src/plan/format-plan.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";

const configWith = (options: AuthOptionsInput) =>
  parseConfig(defineConfig({ name: "app", providers: { auth: defineAuth("better-auth", options) } }));

/** The message a config fails with, or "" when it parses. */
const refusal = (options: AuthOptionsInput): string => {
  try {
    configWith(options);
  } catch (err) {
    return (err as Error).message;
  }
  return "";
};

const config = configWith({
  socialProviders: { discord: {}, microsoft: { tenantId: "contoso.onmicrosoft.com" }, apple: {} },
  genericOAuth: [
    { providerId: "okta", discoveryUrl: "https://acme.okta.com/.well-known/openid-configuration" },
    {
      providerId: "corp-sso",
      name: "Corp SSO",
      discoveryUrl: "https://sso.corp.example/.well-known/openid-configuration",
      scopes: ["groups"],
    },
  ],
});

const deployEnv = {
  BETTER_AUTH_URL: "https://api.example.com",
  ALCHEMY_PASSWORD: "pw",
  APPLE_CLIENT_ID: "com.example.web",
  APPLE_CLIENT_SECRET: "eyJhbGciOiJFUzI1NiJ9.apple.jwt",
  MICROSOFT_CLIENT_ID: "ms-id",
  MICROSOFT_CLIENT_SECRET: "ms-secret",
  DISCORD_CLIENT_ID: "dc-id",
  DISCORD_CLIENT_SECRET: "dc-secret",
  OKTA_CLIENT_ID: "okta-id",
  OKTA_CLIENT_SECRET: "okta-secret",
  CORP_SSO_CLIENT_ID: "corp-id",
  CORP_SSO_CLIENT_SECRET: "corp-secret",
};

describe("apple, microsoft and discord", () => {
  it("resolve in catalogue order; microsoft's tenant defaults to common", () => {
    expect(config.auth.socialProviders).toEqual({
      apple: {},
      microsoft: { tenantId: "contoso.onmicrosoft.com" },
      discord: {},
    });
    expect(configWith({ socialProviders: { microsoft: {} } }).auth.socialProviders).toEqual({
      microsoft: { tenantId: "common" },
    });
  });

  it("refuse a tenant that is not one Microsoft has", () => {
    expect(refusal({ socialProviders: { microsoft: { tenantId: "../evil" } } })).toContain(
      'socialProviders.microsoft.tenantId: expected "common", "organizations", "consumers", a tenant id (GUID) or a domain',
    );
    expect(
      refusal({ socialProviders: { microsoft: { tenantId: "9188040d-6c67-4c5b-b112-36a304b66dad" } } }),
    ).toBe("");
  });

  it("a deploy without their credentials stops, naming each variable", () => {
    const env = {
      ...deployEnv,
      APPLE_CLIENT_SECRET: "",
      MICROSOFT_CLIENT_ID: undefined,
      OKTA_CLIENT_SECRET: "",
    };
    let error: unknown;
    try {
      planDeployment({ config, env, stage: "production", mode: "deploy" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MissingEnvError);
    expect((error as MissingEnvError).missing.map((m) => m.name)).toEqual([
      "APPLE_CLIENT_SECRET",
      "MICROSOFT_CLIENT_ID",
      "OKTA_CLIENT_SECRET",
    ]);
    expect((error as Error).message).toContain("OKTA_CLIENT_SECRET: genericOAuth[0] (okta) needs");
  });
});

describe("genericOAuth", () => {
  it("refuses a repeated id, a built-in id, an id unfit for a URL and a discovery URL off https", () => {
    const discoveryUrl = "https://idp.example/.well-known/openid-configuration";
    expect(
      refusal({
        genericOAuth: [
          { providerId: "okta", discoveryUrl },
          { providerId: "okta", discoveryUrl },
        ],
      }),
    ).toContain('genericOAuth[1].providerId: "okta" is used twice');
    expect(refusal({ genericOAuth: [{ providerId: "github", discoveryUrl }] })).toContain(
      '"github" is a built-in provider: use socialProviders.github instead',
    );
    expect(refusal({ genericOAuth: [{ providerId: "My Okta", discoveryUrl }] })).toContain(
      "expected an id of lower-case letters, digits and dashes",
    );
    expect(
      refusal({
        genericOAuth: [
          { providerId: "okta", discoveryUrl: "http://idp.example/.well-known/openid-configuration" },
        ],
      }),
    ).toContain("expected an https URL of an OpenID Connect discovery document");
  });

  it("is a way to sign in on its own", () => {
    expect(refusal({ genericOAuth: [{ providerId: "okta", discoveryUrl: "https://idp.example/x" }] })).toBe(
      "",
    );
  });

  it("a deploy: ids as vars, secrets as Worker secrets, every callback URL printed and in the outputs", () => {
    const plan = planDeployment({ config, env: deployEnv, stage: "production", mode: "deploy" });
    expect(plan.vars).toMatchObject({
      MICROSOFT_CLIENT_ID: "ms-id",
      OKTA_CLIENT_ID: "okta-id",
      CORP_SSO_CLIENT_ID: "corp-id",
    });
    expect(Object.values(plan.vars)).not.toContain("okta-secret");
    expect(plan.secrets.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        "APPLE_CLIENT_SECRET",
        "MICROSOFT_CLIENT_SECRET",
        "DISCORD_CLIENT_SECRET",
        "OKTA_CLIENT_SECRET",
        "CORP_SSO_CLIENT_SECRET",
      ]),
    );
    const callbacks = {
      apple: "https://api.example.com/auth/v1/callback/apple",
      microsoft: "https://api.example.com/auth/v1/callback/microsoft",
      discord: "https://api.example.com/auth/v1/callback/discord",
      okta: "https://api.example.com/auth/v1/callback/okta",
      "corp-sso": "https://api.example.com/auth/v1/callback/corp-sso",
    };
    expect(Object.fromEntries(plan.socialProviders.map((p) => [p.id, p.callbackUrl]))).toEqual(callbacks);
    const text = formatPlan(plan);
    for (const [id, url] of Object.entries(callbacks)) expect(text).toMatch(new RegExp(`${id} +${url}`));
    expect(text).toContain("Microsoft Entra admin center");
    const outputs = stackOutputs(plan, "https://api.example.com");
    expect(outputs.socialCallbacks).toEqual(callbacks);
    expect(formatSummary(plan, outputs, ".authform/production.json")).toMatch(
      /corp-sso +https:\/\/api\.example\.com\/auth\/v1\/callback\/corp-sso/,
    );
    expect(plan.manifest.genericOAuth).toEqual([
      { providerId: "okta", discoveryUrl: "https://acme.okta.com/.well-known/openid-configuration" },
      {
        providerId: "corp-sso",
        name: "Corp SSO",
        discoveryUrl: "https://sso.corp.example/.well-known/openid-configuration",
        scopes: ["groups"],
      },
    ]);
    expect(plan.manifest.socialProviders?.microsoft).toEqual({ tenantId: "contoso.onmicrosoft.com" });
  });

  it("a discovery document on loopback runs locally, and a deploy refuses it", () => {
    const local = configWith({
      genericOAuth: [
        { providerId: "dev-idp", discoveryUrl: "http://127.0.0.1:4100/.well-known/openid-configuration" },
      ],
    });
    const plan = planDeployment({ config: local, env: {}, stage: "alice", mode: "local", port: 1500 });
    expect(plan.socialProviders.map((p) => [p.id, p.callbackUrl, p.credentials])).toEqual([
      ["dev-idp", "http://localhost:1500/auth/v1/callback/dev-idp", false],
    ]);
    expect(plan.notes).toContain(
      "dev-idp sign-in is off on this local stack: set DEV_IDP_CLIENT_ID and DEV_IDP_CLIENT_SECRET to turn it on.",
    );
    const deploy = () =>
      planDeployment({
        config: local,
        env: {
          BETTER_AUTH_URL: "https://api.example.com",
          ALCHEMY_PASSWORD: "pw",
          DEV_IDP_CLIENT_ID: "a",
          DEV_IDP_CLIENT_SECRET: "b",
        },
        stage: "production",
        mode: "deploy",
      });
    expect(deploy).toThrow(GenericOAuthPlanError);
    expect(deploy).toThrow(/dev-idp: discoveryUrl http:\/\/127\.0\.0\.1:4100\/.* is on loopback/);
  });
});
