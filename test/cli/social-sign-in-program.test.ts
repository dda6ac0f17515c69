/** Social sign-in as the program's user meets it: missing credentials and loopback stand-ins stop a deploy before anything exists. */
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { stateDir } from "../../src/provision/local-files.ts";
import { localEnv, ROOT, runProgram, uniqueStage } from "../support/stack.ts";

const CONFIG = ["--config", "test/fixtures/social.config.ts"];
const APP = "social-test";

/** A deploy's environment with everything but what a test leaves out. */
const deployEnv = (extra: Record<string, string>) => {
  const env = localEnv({
    CLOUDFLARE_API_TOKEN: "token-from-test",
    CLOUDFLARE_ACCOUNT_ID: "acct",
    ALCHEMY_PASSWORD: "password-from-test",
    BETTER_AUTH_URL: "https://api.example.com",
    AUTHFORM_STATE_STORE: "file",
    ...extra,
  });
  delete env.CI;
  return env;
};

describe("bun alchemy.run.ts with socialProviders", () => {
  it("a deploy without the providers' credentials stops naming each variable; nothing is provisioned", async () => {
    const stage = uniqueStage("social-nocreds");
    const result = await runProgram(["--stage", stage, ...CONFIG], deployEnv({ GOOGLE_CLIENT_ID: "g-id" }));
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain("Cannot deploy: required environment variables are missing:");
    for (const name of ["GOOGLE_CLIENT_SECRET", "GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"]) {
      expect(result.output).toContain(`• ${name}: socialProviders.`);
    }
    expect(result.output).not.toContain("• GOOGLE_CLIENT_ID");
    expect(result.output).toContain("Nothing was provisioned.");
    expect(existsSync(stateDir(ROOT, APP, stage))).toBe(false);
    expect(existsSync(path.join(ROOT, ".authform", `${stage}.json`))).toBe(false);
  });

  it("a deploy refuses AUTHFORM_SOCIAL_LOOPBACK; nothing is provisioned", async () => {
    const stage = uniqueStage("social-loop");
    const env = deployEnv({
      GOOGLE_CLIENT_ID: "g-id",
      GOOGLE_CLIENT_SECRET: "g-secret",
      GITHUB_CLIENT_ID: "gh-id",
      GITHUB_CLIENT_SECRET: "gh-secret",
      AUTHFORM_SOCIAL_LOOPBACK: "github=http://127.0.0.1:4002",
    });
    const result = await runProgram(["--stage", stage, ...CONFIG], env);
    expect(result.code, result.output).toBe(1);
    expect(result.output).toContain("Cannot use AUTHFORM_SOCIAL_LOOPBACK:");
    expect(result.output).toContain("Nothing was provisioned.");
    expect(result.output).not.toContain("g-secret");
    expect(existsSync(stateDir(ROOT, APP, stage))).toBe(false);
  });

  it("--plan of a local stack without credentials prints the callback URLs and says the providers are off", async () => {
    const stage = uniqueStage("social-plan");
    const result = await runProgram(["--plan", "--stage", stage, "--port", "24567", ...CONFIG]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(
      "google   http://localhost:24567/auth/v1/callback/google  (off: no credentials)",
    );
    expect(result.output).toContain("github   http://localhost:24567/auth/v1/callback/github");
    expect(result.output).toContain("GitHub sign-in is off on this local stack: set GITHUB_CLIENT_ID");
    expect(existsSync(stateDir(ROOT, APP, stage))).toBe(false);
  });
});
