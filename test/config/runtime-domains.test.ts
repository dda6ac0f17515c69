/** runtime.domains and runtime.cookieDomain in the config: bare hostnames, inside the zone, one production stage. */
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/index.ts";
import type { RuntimeOptionsInput } from "../../src/config/types.ts";
import { defineAuth, defineConfig, defineRuntime } from "../../src/index.ts";

const DOMAINS = { api: "api.example.com", account: "account.example.com", zone: "example.com" };

function config(runtime: RuntimeOptionsInput) {
  return parseConfig(
    defineConfig({
      name: "shop",
      providers: {
        runtime: defineRuntime("cloudflare", runtime),
        auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }),
      },
    }),
  );
}

describe("runtime.domains in the config", () => {
  function problems(runtime: unknown): string {
    try {
      config(runtime as RuntimeOptionsInput);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error("config was accepted");
  }

  it("is optional: no domains, no cookie domain", () => {
    const resolved = config({});
    expect(resolved.runtime.domains).toBeUndefined();
    expect(resolved.runtime.cookieDomain).toBeUndefined();
  });

  it("keeps the zone and the cookie domain as given", () => {
    const resolved = config({ domains: DOMAINS, cookieDomain: "Example.com" });
    expect(resolved.runtime.domains).toEqual(DOMAINS);
    expect(resolved.runtime.cookieDomain).toBe("example.com");
  });

  it("defaults the account hostname to the API's and lowercases hostnames", () => {
    expect(config({ domains: { api: "API.Example.com" } }).runtime.domains).toEqual({
      api: "api.example.com",
      account: "api.example.com",
    });
  });

  it("wants bare hostnames and says how to fix a URL", () => {
    expect(problems({ domains: { api: "https://api.example.com/" } })).toContain(
      'providers.runtime.domains.api: expected a hostname like "api.example.com", got "https://api.example.com/" — write the hostname only: "api.example.com"',
    );
  });

  it("wants both hostnames inside the zone", () => {
    expect(problems({ domains: { ...DOMAINS, account: "account.example.org" } })).toContain(
      'providers.runtime.domains.account: "account.example.org" is not in the zone "example.com"',
    );
  });

  it("needs exactly one production stage to own the domains", () => {
    expect(problems({ domains: DOMAINS, productionStages: ["production", "eu-production"] })).toContain(
      "productionStages must name exactly one stage (it names 2)",
    );
  });
});
