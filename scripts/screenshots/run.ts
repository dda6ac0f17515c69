/**
 * `npm run screenshots`: starts a local stack with every Account SPA page on
 * (scripts/screenshots/screenshots.config.ts), walks Debian's Chromium through each page as a person
 * would (drive.ts) and writes docs/screenshots/<name>.png (1280 px wide: the whole page, or a
 * 1280×800 window on one section) and
 * docs/screenshots/README.md, the index. Run it again after changing a page.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { launchBrowser } from "../../test/support/browser.ts";
import { ROOT, runProgram, startStack, uniqueStage } from "../../test/support/stack.ts";
import { DRIVES, type Scene } from "./drive.ts";
import { SHOTS } from "./pages.ts";

const OUT = path.join(ROOT, "docs", "screenshots");
const CONFIG = ["--config", "scripts/screenshots/screenshots.config.ts"];
const VIEWPORT = { width: 1280, height: 800 };

async function main(): Promise<void> {
  const stage = uniqueStage("screenshots");
  const [stack, browser] = await Promise.all([startStack(stage, { args: CONFIG }), launchBrowser()]);
  const contexts: BrowserContext[] = [];
  let client = 0;
  const scene: Scene = {
    stack,
    stage,
    browser,
    async newPage() {
      // Each profile its own client address, so the per-IP limits see separate people.
      const context = await browser.newContext({
        viewport: VIEWPORT,
        deviceScaleFactor: 1,
        reducedMotion: "reduce",
        extraHTTPHeaders: { "cf-connecting-ip": `198.18.77.${++client}` },
      });
      contexts.push(context);
      return context.newPage();
    },
  };
  try {
    await rm(OUT, { recursive: true, force: true });
    await mkdir(OUT, { recursive: true });
    for (const shot of SHOTS) {
      const driven = await DRIVES[shot.name](scene);
      const page = "section" in driven ? driven.page : driven;
      await page.waitForLoadState("networkidle");
      await page.evaluate(() => document.fonts.ready);
      // A section's shot is the window (1280×800) scrolled to it; a page's is the whole page.
      await page.screenshot({ path: path.join(OUT, `${shot.name}.png`), fullPage: !("section" in driven) });
      console.log(`docs/screenshots/${shot.name}.png  ${shot.route}`);
      await Promise.all(contexts.splice(0).map((c) => c.close()));
    }
    await writeFile(path.join(OUT, "README.md"), index());
  } finally {
    await browser.close();
    await stack.stop();
    await runProgram(["--destroy", "--stage", stage, ...CONFIG]);
  }
}

function index(): string {
  const lines = [
    "# Account SPA screenshots",
    "",
    "Every page of the Account SPA on a local stack with every plugin that has a page or a section",
    "(`scripts/screenshots/screenshots.config.ts`), in Debian's Chromium at 1280 px wide. Made by",
    "`npm run screenshots` (`scripts/screenshots/`): do not edit by hand, run it again after changing a page.",
    "",
    "| page | screenshot | shows |",
    "|---|---|---|",
    ...SHOTS.map((s) => `| \`${s.route}\` | [${s.name}.png](${s.name}.png) | ${s.caption} |`),
    "",
    ...SHOTS.flatMap((s) => [
      `## ${s.name}`,
      "",
      `${s.caption} (\`${s.route}\`).`,
      "",
      `![${s.caption}](${s.name}.png)`,
      "",
    ]),
  ];
  return lines.join("\n");
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
