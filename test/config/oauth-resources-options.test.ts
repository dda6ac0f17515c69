/** oauthProvider.resources: the MCP servers and APIs tokens are issued for, checked before anything runs. */
import { describe, expect, it } from "vitest";
import { ConfigError, defineAuth, defineConfig, parseConfig } from "../../src/config/index.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";

const withResources = (resources: unknown) =>
  defineConfig({
    name: "app",
    providers: {
      auth: defineAuth("better-auth", {
        emailAndPassword: { enabled: true },
        plugins: { oauthProvider: { resources } },
      } as Parameters<typeof defineAuth>[1]),
    },
  });

function issuesOf(resources: unknown) {
  try {
    parseConfig(withResources(resources));
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error("expected the config to be rejected");
}

const AT = "providers.auth.plugins.oauthProvider.resources";
const MCP = { url: "https://api.example.com/mcp", scopes: ["tools:read", "tools:call"] };

describe("oauthProvider.resources", () => {
  it("passes declared resources to the runtime as written, beside the defaults", () => {
    const local = { url: "http://localhost:8788/mcp", scopes: ["tools:read"] };
    const options = parseConfig(withResources([MCP, local])).auth.plugins.oauthProvider;
    expect(options).toMatchObject({
      resources: [MCP, local],
      scopes: ["openid", "profile", "email", "offline_access"],
    });
  });

  it.each([
    [
      [{ url: "api.example.com/mcp", scopes: ["tools:read"] }],
      `${AT}[0].url`,
      'expected an absolute https URL like "https://api.example.com/mcp", got "api.example.com/mcp"',
      "write https://api.example.com/mcp",
    ],
    [
      [{ url: "https://api.example.com/mcp#tools", scopes: ["tools:read"] }],
      `${AT}[0].url`,
      'a resource URL cannot have a fragment (RFC 8707), got "https://api.example.com/mcp#tools"',
      'write "https://api.example.com/mcp"',
    ],
    [
      [{ url: "http://api.example.com/mcp", scopes: ["tools:read"] }],
      `${AT}[0].url`,
      'plain http is only accepted for localhost, 127.0.0.1 and [::1] (local mode), got "http://api.example.com/mcp": tokens for it would cross the network in the clear',
      'use https: "https://api.example.com/mcp"',
    ],
    [
      [MCP, { url: "https://API.example.com/mcp", scopes: ["tools:write"] }],
      `${AT}[1].url`,
      '"https://API.example.com/mcp" is listed twice (first at [0])',
      "remove one, or merge their scopes into one entry",
    ],
    [
      [{ url: MCP.url, scopes: [] }],
      `${AT}[0].scopes`,
      'expected at least one scope this resource understands, e.g. ["tools:read"]',
      undefined,
    ],
    [
      [{ url: MCP.url, scopes: ["tools:read tools:call"] }],
      `${AT}[0].scopes[0]`,
      'expected a scope name without spaces, got "tools:read tools:call"',
      undefined,
    ],
    [
      [{ url: MCP.url, scope: ["tools:read"] }],
      `${AT}[0]`,
      'unknown key "scope" (did you mean "scopes"?)',
      undefined,
    ],
    [[MCP.url], `${AT}[0]`, 'expected an object, got "https://api.example.com/mcp"', undefined],
  ])("refuses %j, saying where and what to do", (resources, path, message, fix) => {
    const issues = issuesOf(resources);
    expect(issues).toContainEqual(fix === undefined ? { path, message } : { path, message, fix });
  });

  it("keeps a loopback http resource out of a deploy, naming it", () => {
    const config = parseConfig(
      withResources([MCP, { url: "http://127.0.0.1:8788/mcp", scopes: ["tools:read"] }]),
    );
    const env = {
      BETTER_AUTH_URL: "https://auth.example.com",
      ACCOUNT_URL: "https://auth.example.com",
      ALCHEMY_PASSWORD: "pw",
    };
    expect(() => planDeployment({ config, env, stage: "prod", mode: "deploy" })).toThrow(
      /resources\[1\] is "http:\/\/127\.0\.0\.1:8788\/mcp": a loopback http server exists only on this machine/,
    );
    const local = planDeployment({ config, env: {}, stage: "dev", mode: "local", port: 8787 });
    expect(local.manifest.plugins.oauthProvider?.resources).toHaveLength(2);
  });
});
