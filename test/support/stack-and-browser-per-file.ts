/**
 * The Account SPA tests' shape: one local stack and one Chromium for a whole test file, started side
 * by side before its tests; after them the browser is closed and the stack stopped (the run destroys its stage at the end).
 * Each test opens its own profile (`freshPage(file.browser)`).
 */
import type { Browser } from "playwright-core";
import { launchBrowser } from "./browser.ts";
import { type FileStack, stackPerFile } from "./stack-per-file.ts";

export interface FileStackAndBrowser extends FileStack {
  /** Debian's Chromium (from beforeAll on). */
  readonly browser: Browser;
}

export function stackAndBrowserPerFile(label: string, config: string): FileStackAndBrowser {
  let browser: Browser | undefined;
  const file = stackPerFile(label, config, {
    start: async () => {
      browser = await launchBrowser();
    },
    stop: async () => {
      await browser?.close();
    },
  });
  return {
    stage: file.stage,
    args: file.args,
    get stack() {
      return file.stack;
    },
    get browser() {
      if (!browser) throw new Error(`the ${label} browser is not running (did beforeAll fail?)`);
      return browser;
    },
  };
}
