/**
 * The OpenAPI reference with every plugin on (more than any one stack test runs): authform's plugin
 * modules build a Better Auth instance (an in-memory database: the document never reads it), and
 * the document they give is valid OpenAPI 3.1 by a real validator, each plugin's endpoints in it.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { memoryAdapter } from "better-auth/adapters/memory";
import { betterAuth } from "better-auth/minimal";
import { beforeAll, describe, expect, it } from "vitest";
import { PLUGIN_NAMES, type PluginName } from "../../src/contract/plugins.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";
import type { Auth } from "../../worker/auth/create-auth.ts";
import type { WorkerEnv } from "../../worker/env.ts";
import { referenceDocument } from "../../worker/reference/document.ts";
import type { WorkerSpec } from "../../worker/spec.ts";
import { everyPluginConfig, pluginModules } from "../support/plugin-modules.ts";

const ORIGIN = "https://api.example.com";
const env = {
  APP_NAME: "Every Plugin",
  BETTER_AUTH_URL: ORIGIN,
  ACCOUNT_URL: ORIGIN,
  APP_URL: ORIGIN,
  BETTER_AUTH_SECRET: "reference-every-plugin-secret-0123456789abcdef",
  AUTHFORM_STAGE: "test",
  AUTHFORM_MODE: "deploy",
} as unknown as WorkerEnv;

/** A path each plugin brings (its own endpoint, or its seed path). */
const PLUGIN_PATHS: Record<PluginName, string> = {
  emailOtp: "/auth/v1/email-otp/verify-otp",
  anonymous: "/auth/v1/sign-in/anonymous",
  upgradeAnonymous: "/auth/v1/upgrade-anonymous",
  magicLink: "/auth/v1/magic-link/send",
  passkey: "/auth/v1/passkey/register/verify",
  jwt: "/auth/v1/jwks",
  apiKey: "/auth/v1/api-key/create",
  organization: "/auth/v1/organization/create",
  oauthProvider: "/.well-known/oauth-authorization-server",
  twoFactor: "/auth/v1/two-factor/enable",
  admin: "/auth/v1/admin/list-users",
};

let document: Awaited<ReturnType<typeof referenceDocument>>;

beforeAll(async () => {
  const config = everyPluginConfig("every-plugin");
  const { manifest } = planDeployment({
    config,
    env: {},
    stage: "test",
    mode: "local",
    port: 1337,
  });
  const plugins = await pluginModules(PLUGIN_NAMES);
  const email = { send: async () => {} };
  const auth = betterAuth({
    baseURL: ORIGIN,
    basePath: manifest.basePath,
    secret: env.BETTER_AUTH_SECRET,
    // Every table present (empty), so plugins that read one at start-up find it.
    database: memoryAdapter(
      new Proxy({} as Record<string, unknown[]>, { get: (rows, model: string) => (rows[model] ??= []) }),
    ),
    emailAndPassword: { enabled: true },
    telemetry: { enabled: false },
    plugins: Object.entries(plugins).flatMap(([name, module]) =>
      module.betterAuth({
        env,
        manifest,
        email,
        emailAfterResponse: email,
        options: manifest.plugins[name as PluginName] ?? {},
      }),
    ),
  }) as unknown as Auth;
  const spec: WorkerSpec = { manifest, plugins };
  document = await referenceDocument(env, { spec, auth: () => auth });
});

describe("the reference with every plugin on", () => {
  it("is valid OpenAPI 3.1", async () => {
    const result = await new Validator().validate(
      structuredClone(document) as unknown as Parameters<Validator["validate"]>[0],
    );
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("has each plugin's endpoints", () => {
    for (const [name, path] of Object.entries(PLUGIN_PATHS)) expect(document.paths[path], name).toBeDefined();
  });

  it("has authform's admin API with its admin-key minting, since admin and apiKey are both on", () => {
    expect(
      Object.keys(document.paths)
        .filter((p) => p.startsWith("/api/v1/admin/"))
        .sort(),
    ).toEqual([
      "/api/v1/admin/api-keys",
      "/api/v1/admin/audit",
      "/api/v1/admin/users",
      "/api/v1/admin/users/{id}",
      "/api/v1/admin/users/{id}/ban",
      "/api/v1/admin/users/{id}/revoke-sessions",
      "/api/v1/admin/users/{id}/role",
      "/api/v1/admin/users/{id}/unban",
    ]);
    expect(Object.keys(document.paths["/api/v1/admin/users/{id}"] ?? {}).sort()).toEqual(["delete", "get"]);
  });

  it("gives each operation a unique operationId", () => {
    const ids = Object.values(document.paths).flatMap((item) =>
      Object.values(item).map((operation) => operation.operationId),
    );
    const named = ids.filter((id) => id !== undefined);
    expect(named.length).toBeGreaterThan(100);
    expect(new Set(named).size).toBe(named.length);
  });
});
