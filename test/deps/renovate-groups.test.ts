/** renovate.json parses and puts each dependency family (Better Auth, Alchemy, Hono, drizzle) in one update PR. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

interface PackageRule {
  groupName?: string;
  matchPackageNames?: string[];
  [key: string]: unknown;
}
interface RenovateConfig {
  rangeStrategy?: string;
  vulnerabilityAlerts?: { enabled?: boolean };
  packageRules?: PackageRule[];
}

const config = JSON.parse(await readFile(path.join(ROOT, "renovate.json"), "utf8")) as RenovateConfig;
const pkg = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const declared = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)];

/**
 * Renovate's matchPackageNames: an entry is an exact name, or a regex written `/…/flags`; a
 * leading `!` negates. (Globs are the third kind; this config uses none, and a test below says so.)
 */
function nameMatches(pattern: string, name: string): boolean {
  const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (regex) return new RegExp(regex[1] as string, regex[2]).test(name);
  return pattern === name;
}

function ruleMatches(rule: PackageRule, name: string): boolean {
  const names = rule.matchPackageNames ?? [];
  const positive = names.filter((p) => !p.startsWith("!"));
  const negative = names.filter((p) => p.startsWith("!")).map((p) => p.slice(1));
  return positive.some((p) => nameMatches(p, name)) && !negative.some((p) => nameMatches(p, name));
}

/** The group Renovate puts `name` in: as in Renovate, a later matching rule overrides an earlier one. */
function groupOf(name: string): string | undefined {
  let group: string | undefined;
  for (const rule of config.packageRules ?? []) {
    if (ruleMatches(rule, name) && rule.groupName !== undefined) group = rule.groupName;
  }
  return group;
}

const isBetterAuthFamily = (name: string) =>
  name === "better-auth" ||
  name.startsWith("@better-auth/") ||
  name === "better-call" ||
  name === "@better-fetch/fetch";

describe("renovate.json", () => {
  it("pins versions and opens vulnerability PRs", () => {
    expect(config.rangeStrategy).toBe("pin");
    expect(config.vulnerabilityAlerts?.enabled).toBe(true);
  });

  it("matches by package name only, with exact names or /regex/ (what the grouping below is checked with)", () => {
    for (const rule of config.packageRules ?? []) {
      const matchers = Object.keys(rule).filter((key) => key.startsWith("match"));
      expect(matchers).toEqual(["matchPackageNames"]);
      for (const pattern of rule.matchPackageNames ?? []) {
        // No glob characters outside a /regex/: a glob would need minimatch's rules to check.
        if (!/^!?\/.+\/[a-z]*$/.test(pattern)) expect(pattern).not.toMatch(/[*?{}[\]]/);
      }
    }
  });

  it.each([
    ["better-auth", "Better Auth"],
    ["@better-auth/core", "Better Auth"],
    ["@better-auth/oauth-provider", "Better Auth"],
    ["@better-auth/passkey", "Better Auth"],
    ["@better-auth/api-key", "Better Auth"],
    ["@better-auth/utils", "Better Auth"],
    ["better-call", "Better Auth"],
    ["@better-fetch/fetch", "Better Auth"],
    ["alchemy", "Alchemy"],
    ["miniflare", "Alchemy"],
    ["@cloudflare/workers-types", "Alchemy"],
    ["hono", "Hono"],
    ["drizzle-orm", "drizzle"],
    ["drizzle-kit", "drizzle"],
  ])("groups %s under %s", (name, group) => {
    expect(declared).toContain(name);
    expect(groupOf(name)).toBe(group);
  });

  it("puts every Better Auth package in package.json in the one Better Auth group, and nothing else in it", () => {
    const family = declared.filter(isBetterAuthFamily);
    expect(family.length).toBeGreaterThanOrEqual(8);
    expect(family.map(groupOf)).toEqual(family.map(() => "Better Auth"));
    const others = declared.filter((name) => !isBetterAuthFamily(name) && groupOf(name) === "Better Auth");
    expect(others).toEqual([]);
  });

  it("leaves unrelated packages out of every group (their own PRs)", () => {
    for (const name of ["zod", "preact", "vitest", "typescript", "@aws-sdk/client-sesv2"]) {
      expect(groupOf(name), name).toBeUndefined();
    }
  });
});
