/** Debian's Chromium driven by playwright-core, for tests that use the Account SPA as a person would. */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { type Browser, type BrowserContext, type CDPSession, chromium, type Page } from "playwright-core";
import { ROOT } from "./stack.ts";

export const CHROMIUM = "/usr/bin/chromium";

/** Where page screenshots go for a reviewer to look at. */
export const ARTIFACTS = path.join(ROOT, "test-artifacts", "account");

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      // Chromium's sandbox cannot start as root (CI containers); it stays on otherwise.
      ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
      "--disable-background-networking",
      "--disable-component-update",
    ],
  });
}

let profileCounter = 0;

/**
 * A client address of its own for each browser profile (198.18.0.0/15, the benchmarking range), sent
 * as `cf-connecting-ip` — which workerd passes through locally and Cloudflare overwrites — so a file
 * that plays many people is not rate limited as one, as test/support/http.ts does for its sessions.
 */
function nextProfileIp(): string {
  const n = profileCounter++ & 0x1ffff;
  return `198.${18 + (n >> 16)}.${(n >> 8) & 0xff}.${n & 0xff}`;
}

/**
 * A fresh profile (no cookies, its own address `ip`) whose page errors fail the test instead of
 * passing unseen.
 */
export async function freshPage(
  browser: Browser,
): Promise<{ context: BrowserContext; page: Page; errors: string[]; ip: string }> {
  const ip = nextProfileIp();
  const context = await browser.newContext({ extraHTTPHeaders: { "cf-connecting-ip": ip } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(err.message));
  page.on("console", (msg) => {
    // A CSP violation is reported on the console: the policy must never block the SPA's own code.
    if (msg.type() === "error" && /Content Security Policy/i.test(msg.text())) errors.push(msg.text());
  });
  return { context, page, errors, ip };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export interface VirtualAuthenticator {
  cdp: CDPSession;
  authenticatorId: string;
  setUserVerified(verified: boolean): Promise<void>;
}

/**
 * A CTAP2 platform authenticator with resident keys, via the DevTools protocol; with user
 * verification unless `userVerification: false` (an authenticator with no fingerprint or PIN check).
 */
export async function addVirtualAuthenticator(
  page: Page,
  { userVerification = true }: { userVerification?: boolean } = {},
): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: userVerification,
      isUserVerified: userVerification,
      automaticPresenceSimulation: true,
    },
  });
  return {
    cdp,
    authenticatorId,
    setUserVerified: async (isUserVerified) => {
      await cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified });
    },
  };
}
