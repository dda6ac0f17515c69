/** The Better Auth family installs as one copy of each package, at the versions docs/UPGRADING.md names. */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const SHARED = [
  "better-call",
  "@better-fetch/fetch",
  "@better-auth/utils",
  "@better-auth/core",
  "better-auth",
];

interface LsNode {
  version?: string;
  dependencies?: Record<string, LsNode>;
}

/** Every version of `name` anywhere in the installed tree. */
function versionsOf(name: string, node: LsNode, found = new Set<string>()): Set<string> {
  for (const [dep, child] of Object.entries(node.dependencies ?? {})) {
    if (dep === name && child.version) found.add(child.version);
    versionsOf(name, child, found);
  }
  return found;
}

describe("dependencies", () => {
  it("has one copy of each package the Better Auth family shares, the one package.json pins", async () => {
    const { stdout } = await promisify(execFile)("npm", ["ls", "--all", "--json", ...SHARED], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    const tree = JSON.parse(stdout) as LsNode;
    const pkg = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    for (const name of SHARED) expect([...versionsOf(name, tree)], name).toEqual([pkg.dependencies[name]]);
  });

  it("pins every dependency exactly, and explains every override in docs/UPGRADING.md", async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
      overrides?: Record<string, Record<string, string>>;
    };
    for (const [name, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }))
      expect(range, name).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
    const upgrading = await readFile(path.join(ROOT, "docs", "UPGRADING.md"), "utf8");
    for (const [parent, children] of Object.entries(pkg.overrides ?? {}))
      for (const child of Object.keys(children))
        expect(upgrading, `${parent} → ${child}`).toMatch(new RegExp(`\`${parent}\` →[^\\n]*\`${child}\``));
  });
});
