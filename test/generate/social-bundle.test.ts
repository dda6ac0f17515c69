/**
 * Social sign-in is bundled only when the config has a provider: a Worker without socialProviders
 * or genericOAuth carries none of worker/auth/social/, the provider catalogue or Better Auth's
 * genericOAuth plugin, and is smaller for it; one with built-in providers only carries no genericOAuth.
 */
import path from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse.ts";
import type { AuthOptionsInput } from "../../src/config/types.ts";
import { generateWorkerEntry } from "../../src/generate/worker-entry.ts";
import { defineAuth, defineConfig } from "../../src/index.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";
import { bundleWorker, type WorkerBundle } from "../support/ses-bundle.ts";
import { ROOT } from "../support/stack.ts";

/** Modules only social sign-in brings in. */
const SOCIAL_INPUTS =
  /worker\/auth\/social\/|src\/contract\/social-providers\.ts|better-auth\/dist\/plugins\/generic-oauth\//;
/** Strings from that code: the loopback variable it reads, a dashboard hint from the catalogue, the plugin's id. */
const SOCIAL_MARKERS = ["AUTHFORM_SOCIAL_LOOPBACK", "Microsoft Entra admin center", '"generic-oauth"'];

async function bundleFor(options: AuthOptionsInput): Promise<WorkerBundle & { gzipBytes: number }> {
  const config = parseConfig(
    defineConfig({
      name: "bundle",
      providers: { auth: defineAuth("better-auth", { emailAndPassword: { enabled: true }, ...options }) },
    }),
  );
  const plan = planDeployment({ config, env: {}, stage: "bundle", mode: "local", port: 1337 });
  const bundle = await bundleWorker((dir) => generateWorkerEntry(plan, path.join(ROOT, "worker"), dir), {
    minify: true,
  });
  return { ...bundle, gzipBytes: gzipSync(bundle.text).length };
}

let plain: Awaited<ReturnType<typeof bundleFor>>;
let builtIn: Awaited<ReturnType<typeof bundleFor>>;
let social: Awaited<ReturnType<typeof bundleFor>>;

beforeAll(async () => {
  plain = await bundleFor({});
  builtIn = await bundleFor({ socialProviders: { github: {} } });
  social = await bundleFor({
    socialProviders: { github: {}, microsoft: {} },
    genericOAuth: [
      { providerId: "okta", discoveryUrl: "https://idp.example/.well-known/openid-configuration" },
    ],
  });
  console.log(
    `bundle without social sign-in: ${plain.gzipBytes} B gzip; GitHub only: +${builtIn.gzipBytes - plain.gzipBytes} B; with genericOAuth: +${social.gzipBytes - plain.gzipBytes} B`,
  );
}, 90_000);

describe("social sign-in in the bundle", () => {
  it("a config without providers bundles none of its code", () => {
    expect(plain.inputs.filter((i) => SOCIAL_INPUTS.test(i))).toEqual([]);
    for (const marker of SOCIAL_MARKERS) expect(plain.text, marker).not.toContain(marker);
  });

  it("a config with providers bundles it, and is larger for it", () => {
    expect(social.inputs).toContain("worker/auth/social/index.ts");
    expect(social.inputs.some((i) => i.includes("better-auth/dist/plugins/generic-oauth/"))).toBe(true);
    for (const marker of SOCIAL_MARKERS) expect(social.text, marker).toContain(marker);
    expect(social.gzipBytes).toBeGreaterThan(plain.gzipBytes + 1024);
  });

  it("built-in providers only: the social module without Better Auth's genericOAuth plugin", () => {
    expect(builtIn.inputs).toContain("worker/auth/social/index.ts");
    expect(builtIn.inputs.filter((i) => /generic-oauth/.test(i))).toEqual([]);
    expect(builtIn.text).not.toContain('"generic-oauth"');
    expect(builtIn.gzipBytes).toBeLessThan(social.gzipBytes - 1024);
  });
});
