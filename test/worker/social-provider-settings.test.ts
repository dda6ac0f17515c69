/** The Worker's social providers: built from the manifest and the credentials the plan gave it. */
import { describe, expect, it } from "vitest";
import type { RuntimeManifest } from "../../src/contract/manifest.ts";
import {
  accountOptions,
  socialErrorPage,
  socialProviderSettings,
} from "../../worker/auth/social/social-providers.ts";
import type { WorkerEnv } from "../../worker/env.ts";

const manifest = {
  socialProviders: { google: {}, github: { scope: ["read:org"] } },
  trustedProviders: ["google"],
} as unknown as RuntimeManifest;

describe("socialProviderSettings", () => {
  it("passes each provider's client id, secret and extra scopes", () => {
    const env = {
      GOOGLE_CLIENT_ID: "g",
      GOOGLE_CLIENT_SECRET: "gs",
      GITHUB_CLIENT_ID: "h",
      GITHUB_CLIENT_SECRET: "hs",
    } as WorkerEnv;
    expect(socialProviderSettings(env, manifest)).toEqual({
      google: { clientId: "g", clientSecret: "gs" },
      github: { clientId: "h", clientSecret: "hs", scope: ["read:org"] },
    });
  });

  it("leaves out a provider without both credentials (a local stack without them)", () => {
    const env = { GOOGLE_CLIENT_ID: "g", GITHUB_CLIENT_ID: "h", GITHUB_CLIENT_SECRET: "" } as WorkerEnv;
    expect(socialProviderSettings(env, manifest)).toEqual({});
  });
});

describe("linking and errors", () => {
  it("links only through Better Auth's checks, with the config's trusted providers", () => {
    // allowUnlinkingAll: Better Auth's last-row rule is off; worker/auth/unlink-guard.ts decides.
    expect(accountOptions(manifest).accountLinking).toEqual({
      enabled: true,
      trustedProviders: ["google"],
      allowUnlinkingAll: true,
    });
    expect(accountOptions({} as RuntimeManifest).accountLinking.trustedProviders).toEqual([]);
  });

  it("sends failed social sign-ins to ACCOUNT_URL/login, and leaves stacks without providers alone", () => {
    const env = { ACCOUNT_URL: "https://account.example.com/" } as WorkerEnv;
    expect(socialErrorPage(env, manifest)).toEqual({ errorURL: "https://account.example.com/login" });
    expect(socialErrorPage(env, {} as RuntimeManifest)).toBeUndefined();
  });
});
