/** auth.oauthProxy in the config: its shape, with messages that name the path, what arrived and the fix. */
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/errors.ts";
import { parseConfig } from "../../src/config/parse.ts";
import type { OAuthProxyInput } from "../../src/config/types.ts";
import { defineAuth, defineConfig } from "../../src/index.ts";

const withProxy = (oauthProxy: unknown, socialProviders: Record<string, unknown> = { google: {} }) =>
  defineConfig({
    name: "app",
    providers: {
      auth: defineAuth("better-auth", {
        emailAndPassword: { enabled: true },
        socialProviders: socialProviders as never,
        oauthProxy: oauthProxy as OAuthProxyInput,
      }),
    },
  });

const problems = (oauthProxy: unknown, socialProviders?: Record<string, unknown>): string => {
  try {
    parseConfig(withProxy(oauthProxy, socialProviders));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("the config parsed");
};

describe("auth.oauthProxy", () => {
  it("resolves origins as browsers send them, without duplicates", () => {
    const config = parseConfig(
      withProxy({
        stage: "production",
        url: "https://Auth.Example.com:443",
        previewOrigins: ["https://staging.example.com", "https://staging.example.com/"],
      }),
    );
    expect(config.auth.oauthProxy).toEqual({
      stage: "production",
      url: "https://auth.example.com",
      previewOrigins: ["https://staging.example.com"],
    });
  });

  it("is absent when the config does not write it", () => {
    expect(parseConfig(withProxy(undefined)).auth.oauthProxy).toBeUndefined();
    expect(parseConfig(withProxy({})).auth.oauthProxy).toEqual({ previewOrigins: [] });
  });

  it("refuses a URL with a path, plain http off loopback, and a wildcard origin", () => {
    expect(problems({ url: "https://auth.example.com/auth/v1" })).toContain(
      "oauthProxy.url: expected an origin",
    );
    expect(problems({ url: "http://auth.example.com" })).toContain(
      "oauthProxy.url: plain http is only accepted for localhost",
    );
    expect(problems({ previewOrigins: ["https://app-pr-*.acme.workers.dev"] })).toContain(
      "oauthProxy.previewOrigins[0]: wildcards are not supported",
    );
  });

  it("refuses a bad stage name and an unknown key", () => {
    expect(problems({ stage: "Prod!" })).toContain(
      'oauthProxy.stage: expected a stage name like "production", got "Prod!"',
    );
    expect(problems({ stableUrl: "https://auth.example.com" })).toContain("stableUrl");
  });

  it("needs a social provider to forward", () => {
    expect(problems({ url: "https://auth.example.com" }, {})).toContain(
      "oauthProxy: oauthProxy forwards social sign-ins to previews, but socialProviders names no provider",
    );
  });
});
