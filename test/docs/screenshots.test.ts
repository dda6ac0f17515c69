/**
 * docs/screenshots/ shows every Account SPA page: the screenshot script's list (scripts/screenshots/)
 * names each page the SPA renders and the Worker serves, so a new page without a screenshot fails
 * here; and the committed index and PNGs are the list's, at the script's width.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PAGE_TITLES } from "../../account/src/page-routes.ts";
import { SHOTS } from "../../scripts/screenshots/pages.ts";
import { ACCOUNT_PAGES } from "../../worker/account/routes.ts";
import { ROOT } from "../support/stack.ts";

const DIR = path.join(ROOT, "docs", "screenshots");
const shown = new Set<string>(SHOTS.map((s) => s.route));

describe("docs/screenshots", () => {
  it("has a screenshot of every page the SPA renders and the Worker serves", () => {
    const missing = [...Object.keys(PAGE_TITLES), ...ACCOUNT_PAGES].filter((route) => !shown.has(route));
    expect(missing).toEqual([]);
  });

  it("holds exactly the list's PNGs, each named once, and an index that shows each", async () => {
    const names = SHOTS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    const files = (await readdir(DIR)).filter((f) => f.endsWith(".png")).sort();
    expect(files).toEqual(names.map((n) => `${n}.png`).sort());
    const index = await readFile(path.join(DIR, "README.md"), "utf8");
    for (const name of names) expect(index).toContain(`(${name}.png)`);
  });

  it("keeps them small: PNGs 1280 px wide", async () => {
    for (const shot of SHOTS) {
      const png = await readFile(path.join(DIR, `${shot.name}.png`));
      // The PNG signature, then the IHDR chunk: width at byte 16 (big-endian).
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      expect(png.readUInt32BE(16), shot.name).toBe(1280);
    }
  });
});
