import { mkdtemp, readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse.ts";
import { generateWorkerEntry, writeWorkerEntry } from "../../src/generate/worker-entry.ts";
import { defineAuth, defineConfig } from "../../src/index.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";

const config = parseConfig(
  defineConfig({
    name: "app",
    providers: { auth: defineAuth("better-auth", { plugins: ["passkey", "anonymous"] }) },
  }),
);
const plan = (stage: string) => planDeployment({ config, env: {}, stage, mode: "local", port: 1337 });

describe("generateWorkerEntry", () => {
  it("gives the same bytes for the same plan", () => {
    expect(generateWorkerEntry(plan("a"), "/repo/worker", "/repo/.authform/generated/a")).toBe(
      generateWorkerEntry(plan("a"), "/repo/worker", "/repo/.authform/generated/a"),
    );
  });

  it("does not depend on the order plugins were written in", () => {
    const reordered = parseConfig(
      defineConfig({
        name: "app",
        providers: { auth: defineAuth("better-auth", { plugins: ["anonymous", "passkey"] }) },
      }),
    );
    const other = planDeployment({ config: reordered, env: {}, stage: "a", mode: "local", port: 1337 });
    expect(generateWorkerEntry(other, "/w", "/o")).toBe(generateWorkerEntry(plan("a"), "/w", "/o"));
  });

  it("imports the runtime relative to where it is written and embeds the manifest", () => {
    const source = generateWorkerEntry(plan("a"), "/repo/worker", "/repo/.authform/generated/a");
    expect(source).toContain('import { createWorker } from "../../../worker/app.ts";');
    expect(source).toContain('"basePath": "/auth/v1"');
    expect(source).toContain('"passkey": {}');
  });

  it("imports exactly the enabled plugins' modules", () => {
    const source = generateWorkerEntry(plan("a"), "/repo/worker", "/repo/.authform/generated/a");
    const imported = [...source.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
    expect(imported).toEqual([
      "../../../worker/app.ts",
      "../../../worker/reference/routes.ts",
      "../../../worker/auth/plugins/anonymous/index.ts",
      "../../../worker/auth/plugins/passkey/index.ts",
    ]);
  });

  it("leaves the OpenAPI reference out when the config turns it off", () => {
    const off = parseConfig(
      defineConfig({
        name: "app",
        providers: {
          auth: defineAuth("better-auth", { plugins: ["passkey", "anonymous"], reference: false }),
        },
      }),
    );
    const source = generateWorkerEntry(
      planDeployment({ config: off, env: {}, stage: "a", mode: "local", port: 1337 }),
      "/w",
      "/o",
    );
    expect(source).not.toContain("reference/routes.ts");
    expect(source).not.toContain("referenceRoutes");
    expect(source).toContain('"reference": false');
    expect(generateWorkerEntry(plan("a"), "/w", "/o")).toContain("reference: referenceRoutes,");
  });

  it("rewrites the file only when its content changes", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "authform-entry-"));
    const minimalPlan = planDeployment({
      config: parseConfig(
        defineConfig({
          name: "app",
          providers: { auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }) },
        }),
      ),
      env: {},
      stage: "a",
      mode: "local",
      port: 1337,
    });
    const file = await writeWorkerEntry(minimalPlan, "/repo/worker", dir);
    const first = await stat(file);
    await new Promise((r) => setTimeout(r, 20));
    await writeWorkerEntry(minimalPlan, "/repo/worker", dir);
    expect((await stat(file)).mtimeMs).toBe(first.mtimeMs);
    expect(await readFile(file, "utf8")).toContain("createWorker");
  });
});

describe("generateWorkerEntry with auth.oauthProxy", () => {
  const proxied = parseConfig(
    defineConfig({
      name: "app",
      providers: {
        auth: defineAuth("better-auth", {
          socialProviders: { google: {} },
          oauthProxy: { url: "http://localhost:4001", previewOrigins: ["http://localhost:4002"] },
        }),
      },
    }),
  );
  const entryFor = (port: number, env: Record<string, string>) =>
    generateWorkerEntry(
      planDeployment({ config: proxied, env, stage: "a", mode: "local", port }),
      "/repo/worker",
      "/repo/.authform/generated/a",
    );
  const proxyImport = 'import { oauthProxyModule } from "../../../worker/auth/social/oauth-proxy/index.ts";';

  it("bundles the proxy into the stable stage and a preview", () => {
    const secret = { AUTHFORM_OAUTH_PROXY_SECRET: "s".repeat(32) };
    for (const port of [4001, 4002]) {
      const source = entryFor(port, secret);
      expect(source).toContain(proxyImport);
      expect(source).toContain("  oauthProxy: oauthProxyModule,");
    }
  });

  it("leaves it out of a stage that uses its own callback URLs", () => {
    const deployedStable = parseConfig(
      defineConfig({
        name: "app",
        providers: {
          auth: defineAuth("better-auth", {
            socialProviders: { google: {} },
            oauthProxy: { url: "https://auth.example.com" },
          }),
        },
      }),
    );
    const plan = planDeployment({ config: deployedStable, env: {}, stage: "a", mode: "local", port: 4003 });
    const source = generateWorkerEntry(plan, "/repo/worker", "/repo/.authform/generated/a");
    expect(source).not.toContain("oauthProxy");
  });
});
