import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/errors.ts";
import { parseConfig } from "../../src/config/parse.ts";
import { defineAuth, defineConfig } from "../../src/index.ts";

const withJwt = (jwt: unknown) =>
  defineConfig({
    name: "app",
    providers: {
      auth: defineAuth("better-auth", { emailAndPassword: { enabled: true }, jwt: jwt as never }),
    },
  });

function problems(jwt: unknown): string {
  try {
    parseConfig(withJwt(jwt));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("config was accepted");
}

describe("auth.jwt (the fast-path token)", () => {
  it("defaults to nothing set, so the runtime's 15 minutes and BETTER_AUTH_URL apply", () => {
    expect(parseConfig(withJwt(undefined)).auth.fastPath).toEqual({});
  });

  it.each([
    ["15m", 900],
    ["1h", 3600],
    ["90s", 90],
    [600, 600],
  ])("reads expiresIn %j as %d seconds", (expiresIn, seconds) => {
    expect(parseConfig(withJwt({ expiresIn })).auth.fastPath.expiresInSeconds).toBe(seconds);
  });

  it.each([
    [
      { expiresIn: "2d" },
      'providers.auth.jwt.expiresIn: expected seconds or a duration like "15m" or "1h", got "2d"',
    ],
    [{ expiresIn: "25h" }, "expected at most 24h"],
    [{ expiresIn: -5 }, "expected seconds or a duration"],
    [{ algorithm: "RS256" }, 'expected "HS256" (the only algorithm accepted), got "RS256"'],
    [
      { secretEnv: "my-secret" },
      'expected the name of a Worker secret like "API_TOKEN_SECRET", got "my-secret"',
    ],
    [{ expiresin: "5m" }, 'unknown key "expiresin" (did you mean "expiresIn"?)'],
  ])("rejects %j", (jwt, message) => {
    expect(problems(jwt)).toContain(message);
  });
});
