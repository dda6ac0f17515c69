/** auth.emailAndPassword.passwordHashing: the profile a config picks, its default, and the message for a typo. */
import { describe, expect, it } from "vitest";
import { ConfigError, defineAuth, defineConfig, parseConfig } from "../../src/config/index.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";

const withEmailAndPassword = (emailAndPassword: unknown) =>
  defineConfig({
    name: "app",
    providers: {
      auth: defineAuth("better-auth", { emailAndPassword } as Parameters<typeof defineAuth>[1]),
    },
  });

describe("emailAndPassword.passwordHashing", () => {
  it('defaults to "standard" (Better Auth\'s own scrypt parameters)', () => {
    expect(parseConfig(withEmailAndPassword({ enabled: true })).auth.emailAndPassword.passwordHashing).toBe(
      "standard",
    );
  });

  it('takes "workers-free" and hands it to the Worker in the runtime manifest', () => {
    const config = parseConfig(withEmailAndPassword({ enabled: true, passwordHashing: "workers-free" }));
    expect(config.auth.emailAndPassword.passwordHashing).toBe("workers-free");
    const plan = planDeployment({ config, env: {}, stage: "dev", mode: "local", port: 1337 });
    expect(plan.manifest.emailAndPassword.passwordHashing).toBe("workers-free");
  });

  it("rejects an unknown profile, naming the ones there are", () => {
    let error: unknown;
    try {
      parseConfig(withEmailAndPassword({ enabled: true, passwordHashing: "fast" }));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      expect.objectContaining({
        path: "providers.auth.emailAndPassword.passwordHashing",
        message: 'expected "standard" or "workers-free", got "fast"',
      }),
    ]);
  });
});
