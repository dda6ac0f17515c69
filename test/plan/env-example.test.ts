import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ENV_VARS } from "../../src/plan/env-vars.ts";

describe(".env.example", () => {
  it("lists every variable the program reads, with its description, and no values", async () => {
    const text = await readFile(path.join(import.meta.dirname, "..", "..", ".env.example"), "utf8");
    const lines = text.split("\n");
    const assigned = lines.filter((l) => /^[A-Z_]+=/.test(l));
    expect(assigned.every((l) => l.endsWith("="))).toBe(true);
    expect(new Set(assigned.map((l) => l.slice(0, -1)))).toEqual(new Set(ENV_VARS.map((v) => v.name)));
    for (const v of ENV_VARS) {
      const at = lines.indexOf(`${v.name}=`);
      expect(lines[at - 1], v.name).toBe(`# ${v.description}`);
    }
  });
});
