/** auth.oauthProxy as the program's user meets it: a preview deploy without the shared secret stops before anything exists. */
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { stateDir } from "../../src/provision/local-files.ts";
import { localEnv, ROOT, runProgram, uniqueStage } from "../support/stack.ts";

const CONFIG = ["--config", "test/fixtures/social-proxy.config.ts"];
const APP = "social-proxy-test";

const deployEnv = (extra: Record<string, string>) => {
  const env = localEnv({
    CLOUDFLARE_API_TOKEN: "token-from-test",
    CLOUDFLARE_ACCOUNT_ID: "acct",
    ALCHEMY_PASSWORD: "password-from-test",
    AUTHFORM_STATE_STORE: "file",
    GOOGLE_CLIENT_ID: "g-id",
    GOOGLE_CLIENT_SECRET: "g-secret",
    GITHUB_CLIENT_ID: "gh-id",
    GITHUB_CLIENT_SECRET: "gh-secret",
    OAUTH_PROXY_TEST_STABLE_URL: "https://auth.example.com",
    ...extra,
  });
  delete env.CI;
  return env;
};

describe("bun alchemy.run.ts with oauthProxy", () => {
  it("a preview deploy without AUTHFORM_OAUTH_PROXY_SECRET stops naming it; nothing is provisioned", async () => {
    const stage = uniqueStage("proxy-nosecret");
    const env = deployEnv({ BETTER_AUTH_URL: `https://${APP}-${stage}.acme.workers.dev` });
    const result = await runProgram(["--stage", stage, ...CONFIG], env);
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain("Cannot plan oauthProxy (social sign-in on previews):");
    expect(result.output).toContain("• AUTHFORM_OAUTH_PROXY_SECRET is not set");
    expect(result.output).toContain("Nothing was provisioned.");
    expect(existsSync(stateDir(ROOT, APP, stage))).toBe(false);
    expect(existsSync(path.join(ROOT, ".authform", `${stage}.json`))).toBe(false);
  });

  it("--plan of a preview names the stable stage's callback URLs and registers nothing of its own", async () => {
    const stage = uniqueStage("proxy-plan");
    const env = deployEnv({
      BETTER_AUTH_URL: `https://${APP}-${stage}.acme.workers.dev`,
      AUTHFORM_OAUTH_PROXY_SECRET: "p".repeat(40),
    });
    const result = await runProgram(["--plan", "--stage", stage, ...CONFIG], env);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(
      `Social        through https://auth.example.com (oauthProxy): its callback URLs, nothing to register for ${stage}:`,
    );
    expect(result.output).toContain("google   https://auth.example.com/auth/v1/callback/google");
    expect(result.output).toContain("AUTHFORM_OAUTH_PROXY_SECRET from the environment");
    expect(result.output).not.toContain("p".repeat(40));
  });
});
