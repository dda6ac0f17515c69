/** The program's command line as a person meets it: bad input fails early and provisions nothing. */
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseCliArgs, UsageError } from "../../src/cli/args.ts";
import { defaultStage } from "../../src/cli/environment.ts";
import { stateDir } from "../../src/provision/local-files.ts";
import { ROOT, runProgram, uniqueStage } from "../support/stack.ts";

describe("bun alchemy.run.ts", () => {
  it("reports every config problem at once, exits 1 and provisions nothing", async () => {
    const stage = uniqueStage("bad");
    const result = await runProgram(["--config", "test/fixtures/bad.config.ts", "--stage", stage]);
    expect(result.code).toBe(1);
    expect(result.output).toContain("Invalid auth config in test/fixtures/bad.config.ts:");
    expect(result.output).toContain('unknown plugin "pass-key" (did you mean "passkey"?)');
    expect(result.output).toContain(
      'providers.database.vars.EMAIL_FROM: expected an email address, got "noreply"',
    );
    expect(result.output).toContain("providers.database.vars.BETTER_AUTH_SECRET");
    expect(result.output).not.toContain("do-not-put-me-here");
    expect(result.output).toContain("Nothing was provisioned.");
    expect(existsSync(stateDir(ROOT, "bad-app", stage))).toBe(false);
    expect(existsSync(path.join(ROOT, ".authform", `${stage}.json`))).toBe(false);
  });

  it("--plan prints the plan and provisions nothing", async () => {
    const stage = uniqueStage("plan");
    const result = await runProgram(["--plan", "--stage", stage]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`Plan for authform · stage ${stage} · local (workerd)`);
    expect(result.output).toContain(`D1 database   authform-${stage}-db`);
    expect(result.output).toContain("BETTER_AUTH_SECRET     generated once for this stage");
    expect(existsSync(stateDir(ROOT, "authform", stage))).toBe(false);
  });

  it("says where the config should be when there is none", async () => {
    const result = await runProgram(["--config", "nope.config.ts", "--plan"]);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/No config at .*nope\.config\.ts/);
  });

  it("refuses deploy-mode runs that lack required env before touching anything", async () => {
    const stage = uniqueStage("deploy");
    const env = { ...process.env, CLOUDFLARE_API_TOKEN: "token-from-test", CLOUDFLARE_ACCOUNT_ID: "acct" };
    delete env.ALCHEMY_PASSWORD;
    // Under CI the remote state store's settings are checked first; this test is about the plan's env.
    delete env.CI;
    delete env.BETTER_AUTH_URL;
    const result = await runProgram(["--stage", stage], env);
    expect(result.code).toBe(1);
    expect(result.output).toContain("Cannot deploy: required environment variables are missing:");
    expect(result.output).toContain("BETTER_AUTH_URL");
    expect(result.output).toContain("ALCHEMY_PASSWORD");
    expect(result.output).not.toContain("token-from-test");
    expect(existsSync(stateDir(ROOT, "authform", stage))).toBe(false);
  });
});

describe("parseCliArgs", () => {
  it("reads the flags", () => {
    expect(parseCliArgs(["--stage", "pr-12", "--plan", "--config", "x.ts", "--port", "4000"])).toMatchObject({
      stage: "pr-12",
      plan: true,
      config: "x.ts",
      port: 4000,
    });
  });

  it.each([
    [["--stage", "Prod"], 'stage "Prod" is not a valid stage name'],
    [["--stage", "a".repeat(25)], "is not a valid stage name"],
    [["--port", "http"], '--port "http" is not a port number'],
    [["--plan", "--destroy"], "--plan and --destroy cannot be used together"],
    [["--stgae", "x"], "Unknown option '--stgae'"],
  ])("rejects %j", (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe("defaultStage", () => {
  it("uses STAGE, else the user's name made stage-safe, else dev", () => {
    expect(defaultStage({ STAGE: "staging" })).toBe("staging");
    expect(defaultStage({ USER: "Ada.Lovelace" })).toBe("ada-lovelace");
    expect(defaultStage({ USER: "42" })).toBe("dev-42");
    expect(defaultStage({ USER: "unknown" })).toBe("dev");
  });
});
