/** axe-core run inside a page of the Account SPA: the accessibility rules it breaks, as short readable lines. */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
let source: Promise<string> | undefined;

declare global {
  interface Window {
    axe?: typeof import("axe-core");
  }
}

/**
 * Every violation on the page as it stands, one line each ("rule (impact): help — where"). The
 * script goes in through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  source ??= readFile(AXE, "utf8");
  if (!(await page.evaluate(() => window.axe !== undefined))) await page.evaluate(await source);
  return page.evaluate(async () => {
    const axe = window.axe;
    if (!axe) throw new Error("axe-core did not load");
    const { violations } = await axe.run(document, { resultTypes: ["violations"] });
    return violations.map(
      (v) => `${v.id} (${v.impact ?? "?"}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
    );
  });
}
