/**
 * The generated entry imports only the enabled plugins, so the bundle carries only their code: a config
 * without passkey/oauthProvider bundles (with Alchemy's own esbuild and settings) without WebAuthn or
 * OAuth-server code, and clearly smaller than the same config with them.
 */
import path from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse.ts";
import type { PluginName } from "../../src/config/plugins.ts";
import { generateWorkerEntry } from "../../src/generate/worker-entry.ts";
import { defineAuth, defineConfig } from "../../src/index.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";
import { bundleWorker, type WorkerBundle } from "../support/ses-bundle.ts";
import { ROOT } from "../support/stack.ts";

const WITHOUT: PluginName[] = [
  "emailOtp",
  "magicLink",
  "anonymous",
  "upgradeAnonymous",
  "jwt",
  "organization",
];
const WITH: PluginName[] = [...WITHOUT, "passkey", "oauthProvider"];

/** Packages only passkey and oauthProvider bring in. */
const PLUGIN_PACKAGES =
  /node_modules\/(@simplewebauthn|@better-auth\/passkey|@better-auth\/oauth-provider)\//;
/** Strings from those packages' code (their endpoint paths), looked for in the bundled text. */
const PLUGIN_MARKERS = [
  "/passkey/verify-registration",
  "/passkey/generate-register-options",
  "/oauth2/consent",
];

async function bundleFor(plugins: PluginName[]): Promise<WorkerBundle & { gzipBytes: number }> {
  const config = parseConfig(
    defineConfig({
      name: "bundle",
      providers: { auth: defineAuth("better-auth", { emailAndPassword: { enabled: true }, plugins }) },
    }),
  );
  const plan = planDeployment({ config, env: {}, stage: "bundle", mode: "local", port: 1337 });
  // Minified, as a deploy would upload it.
  const bundle = await bundleWorker((dir) => generateWorkerEntry(plan, path.join(ROOT, "worker"), dir), {
    minify: true,
  });
  return { ...bundle, gzipBytes: gzipSync(bundle.text).length };
}

let small: Awaited<ReturnType<typeof bundleFor>>;
let large: Awaited<ReturnType<typeof bundleFor>>;

beforeAll(async () => {
  [small, large] = [await bundleFor(WITHOUT), await bundleFor(WITH)];
  const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(
    `bundle without passkey/oauthProvider: ${kib(small.bytes)} (${kib(small.gzipBytes)} gzip); with: ${kib(large.bytes)} (${kib(large.gzipBytes)} gzip)`,
  );
}, 60_000);

describe("bundle contents follow the config", () => {
  it("carries WebAuthn and OAuth-server code only when passkey/oauthProvider are on", () => {
    // Both are whole Workers (Better Auth and the shared plugins), so the comparison is fair.
    for (const bundle of [small, large]) {
      expect(bundle.inputs.some((i) => i.includes("node_modules/better-auth/"))).toBe(true);
      expect(bundle.inputs).toContain("worker/auth/plugins/organization/index.ts");
    }
    expect(large.inputs.filter((i) => PLUGIN_PACKAGES.test(i)).length).toBeGreaterThan(0);
    expect(small.inputs.filter((i) => PLUGIN_PACKAGES.test(i))).toEqual([]);
    // Their tables (schema.ts) are every stack's: one migration history, one drizzle schema.
    expect(
      small.inputs.filter(
        (i) => /worker\/auth\/plugins\/(passkey|oauth-provider)\//.test(i) && !i.endsWith("/schema.ts"),
      ),
    ).toEqual([]);
    for (const marker of PLUGIN_MARKERS) {
      expect(large.text, marker).toContain(marker);
      expect(small.text, marker).not.toContain(marker);
    }
  });

  it("carries no plan-time code: the Public Suffix List (tldts) and src/plan stay out of the Worker", () => {
    for (const bundle of [small, large]) {
      expect(bundle.inputs.filter((i) => /node_modules\/tldts|src\/plan\//.test(i))).toEqual([]);
      // A rule the list holds, as tldts stores it: absent from the uploaded text too.
      expect(bundle.text).not.toContain("kawasaki");
    }
  });

  it("carries zod's English messages only: not the other locales, which oauthProvider's code would keep", () => {
    for (const bundle of [small, large]) {
      const locales = bundle.inputs.filter((i) => /node_modules\/zod\/v4\/locales\//.test(i));
      expect(locales.map((i) => path.basename(i))).toEqual(["en.js"]);
      // zod's German message for an invalid input, as its de locale writes it.
      expect(bundle.text).not.toContain("Ungültige Eingabe");
      expect(bundle.text).toContain("Invalid input");
    }
  });

  it("is smaller by a clear margin: at least 300 KiB and 20% minified, 20% gzipped", () => {
    expect(large.bytes - small.bytes).toBeGreaterThan(300 * 1024);
    expect(small.bytes).toBeLessThan(large.bytes * 0.8);
    expect(small.gzipBytes).toBeLessThan(large.gzipBytes * 0.8);
  });
});
