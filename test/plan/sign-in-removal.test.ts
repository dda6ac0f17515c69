/** Password sign-in leaving a stage: the `--plan` line with its user count, and the guard before a run. */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse.ts";
import type { AuthOptionsInput } from "../../src/config/types.ts";
import { defineAuth, defineConfig } from "../../src/index.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";
import { type DeployedWorker, diffPlan, formatPlanDiff } from "../../src/plan/plan-diff.ts";
import { checkSignInRemoval, passwordUsersSql, SignInRemovalError } from "../../src/plan/sign-in-removal.ts";

function planFor(auth: AuthOptionsInput) {
  const config = parseConfig(
    defineConfig({ name: "removal-app", providers: { auth: defineAuth("better-auth", auth) } }),
  );
  return { config, plan: planDeployment({ config, env: {}, stage: "dev", mode: "local", port: 1400 }) };
}

/** The seed's magic-link example: before this default changed, it also ran passwords. */
const { config: silent, plan: magicLinkOnly } = planFor({ plugins: ["magicLink"] });

function deployed(extra: Partial<DeployedWorker>): DeployedWorker {
  return {
    vars: { ...magicLinkOnly.vars },
    secrets: { BETTER_AUTH_SECRET: "s" },
    bindings: { ...magicLinkOnly.bindings },
    build: "b",
    ...extra,
  };
}

const diff = (worker: DeployedWorker) => diffPlan(magicLinkOnly, worker, { build: "b", envSecrets: {} });

describe("--plan when password sign-in goes", () => {
  it("shows '- sign-in emailAndPassword' with the users left without a way in", () => {
    const changes = diff(
      deployed({
        plugins: ["emailAndPassword", "magicLink"],
        passwordUsers: { withPassword: 3, stranded: 1 },
      }),
    );
    expect(changes).toEqual([
      {
        target: "sign-in",
        name: "emailAndPassword",
        change: "remove",
        detail: "1 user with a password and no other way in (of 3 with a password)",
      },
    ]);
    expect(formatPlanDiff("dev", changes)).toContain(
      "  - sign-in  emailAndPassword: 1 user with a password and no other way in (of 3 with a password)",
    );
  });

  it("says when the users could not be counted", () => {
    const changes = diff(
      deployed({ plugins: ["emailAndPassword", "magicLink"], passwordUsers: "D1 query answered 403" }),
    );
    expect(formatPlanDiff("dev", changes)).toContain(
      "  - sign-in  emailAndPassword: count unavailable (D1 query answered 403)",
    );
  });

  it("without this machine's record, finds password sign-in from the password users in the D1", () => {
    expect(diff(deployed({ passwordUsers: { withPassword: 2, stranded: 0 } }))).toEqual([
      expect.objectContaining({ target: "sign-in", name: "emailAndPassword", change: "remove" }),
    ]);
    expect(diff(deployed({ passwordUsers: { withPassword: 0, stranded: 0 } }))).toEqual([]);
  });

  it("lists password sign-in coming back as an added sign-in method", () => {
    const { plan } = planFor({ emailAndPassword: { enabled: true }, plugins: ["magicLink"] });
    const worker = { ...deployed({ plugins: ["magicLink"] }), vars: { ...plan.vars } };
    expect(diffPlan(plan, worker, { build: "b", envSecrets: {} })).toEqual([
      { target: "sign-in", name: "emailAndPassword", change: "add" },
    ]);
  });
});

describe("which password users are stranded", () => {
  it("counts passkeys only when the new config runs passkeys, and emailed sign-in only for verified addresses", () => {
    const bare = passwordUsersSql(planFor({ plugins: ["anonymous"] }).plan);
    expect(bare).not.toContain("passkey");
    expect(bare).not.toContain("emailVerified");
    const withPasskey = passwordUsersSql(planFor({ plugins: ["passkey"] }).plan);
    expect(withPasskey).toContain("FROM passkey");
    for (const plugin of ["magicLink", "emailOtp"] as const) {
      expect(passwordUsersSql(planFor({ plugins: [plugin] }).plan)).toContain("u.emailVerified = 0");
    }
  });
});

describe("the guard before a run", () => {
  const base = {
    plan: magicLinkOnly,
    stated: silent.auth.emailAndPasswordStated,
    hadPasswords: true,
    allowed: false,
  };

  it("stops a config that never mentions passwords on a stage that had them, naming both ways forward", () => {
    expect(silent.auth.emailAndPasswordStated).toBe(false);
    let message = "";
    try {
      checkSignInRemoval({ ...base, users: { withPassword: 4, stranded: 2 } });
    } catch (err) {
      expect(err).toBeInstanceOf(SignInRemovalError);
      message = (err as Error).message;
    }
    expect(message).toContain("Stage dev runs password sign-in");
    expect(message).toContain("2 users with a password and no other way in (of 4 with a password)");
    expect(message).toContain("emailAndPassword: { enabled: true }");
    expect(message).toContain("emailAndPassword: { enabled: false }, or re-run with --allow-sign-in-removal");
  });

  it("lets the run go on when passwords are dropped on purpose, kept, or were never on", () => {
    const { config: explicit, plan: explicitOff } = planFor({
      emailAndPassword: { enabled: false },
      plugins: ["magicLink"],
    });
    expect(() =>
      checkSignInRemoval({
        ...base,
        plan: explicitOff,
        stated: explicit.auth.emailAndPasswordStated,
        users: undefined,
      }),
    ).not.toThrow();
    expect(() => checkSignInRemoval({ ...base, allowed: true, users: undefined })).not.toThrow();
    expect(() => checkSignInRemoval({ ...base, hadPasswords: false, users: undefined })).not.toThrow();
    const { plan: kept } = planFor({ emailAndPassword: { enabled: true }, plugins: ["magicLink"] });
    expect(() => checkSignInRemoval({ ...base, plan: kept, stated: true, users: undefined })).not.toThrow();
  });
});
