/** runtime.domains on Cloudflare (the stand-in): the production stage gets its custom domains, a preview none; destroy removes them. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeploymentPlan } from "../../src/plan/types.ts";
import { CloudflareApiStandIn, mutating, routesOf } from "../support/cloudflare-api/index.ts";
import { uniqueStage } from "../support/stack.ts";
import { deploy, deployEnv, destroy, destroyStages, planFor, writeConfig } from "./deploy-support.ts";

const APP = "deploy-domains";
const prod = uniqueStage("dprod");
const preview = uniqueStage("dpr");
const DOMAINS = { api: "api.example.com", account: "account.example.com", zone: "example.com" };
let api: CloudflareApiStandIn;
let config: string;
let env: NodeJS.ProcessEnv;
let plan: DeploymentPlan;

beforeAll(async () => {
  api = await CloudflareApiStandIn.start({ zones: ["example.com", "example.org"] });
  config = await writeConfig("custom-domains.config.ts", {
    app: APP,
    productionStages: [prod],
    runtime: { domains: DOMAINS },
    plugins: ["passkey"],
  });
  // No BETTER_AUTH_URL or ACCOUNT_URL: the domains are where the production stage lives.
  env = deployEnv(api);
  delete env.BETTER_AUTH_URL;
  plan = await planFor(config, env, prod);
});

afterAll(async () => {
  if (api) {
    await destroyStages([
      { stage: preview, config, env: { ...env, CLOUDFLARE_WORKERS_SUBDOMAIN: api.options.subdomain } },
      { stage: prod, config, env, args: ["--force"] },
    ]);
  }
  await api?.close();
});

const zoneId = () => api.domains.zones.find((z) => z.name === "example.com")?.id;
const acct = () => `/accounts/${api.options.accountId}`;

describe("the production stage", () => {
  it("refuses, before sending anything, an explicit BETTER_AUTH_URL that contradicts the domains", async () => {
    const mark = api.mark();
    const run = await deploy(prod, config, { ...env, BETTER_AUTH_URL: "https://api.example.org" });
    expect(run.code).toBe(1);
    expect(run.output).toContain(
      "BETTER_AUTH_URL is https://api.example.org (from the environment), but runtime.domains.api makes it https://api.example.com.",
    );
    expect(run.output).toContain("Nothing was provisioned.");
    expect(api.since(mark)).toEqual([]);
  });

  it("binds the API and Account hostnames to the stage's Worker in the configured zone", async () => {
    const mark = api.mark();
    const run = await deploy(prod, config, env);
    expect(run.code, run.output).toBe(0);
    const puts = api.since(mark).filter((r) => r.method === "PUT" && r.path === `${acct()}/workers/domains`);
    expect(puts.map((r) => r.body)).toEqual([
      {
        zone_id: zoneId(),
        hostname: "api.example.com",
        service: plan.names.worker,
        environment: "production",
      },
      {
        zone_id: zoneId(),
        hostname: "account.example.com",
        service: plan.names.worker,
        environment: "production",
      },
    ]);
    expect(
      api.domains.list().map((d) => ({ hostname: d.hostname, service: d.service, zone: d.zone_name })),
    ).toEqual([
      { hostname: "api.example.com", service: plan.names.worker, zone: "example.com" },
      { hostname: "account.example.com", service: plan.names.worker, zone: "example.com" },
    ]);
    // The summary and the outputs file name the real URLs, not the workers.dev address.
    expect(run.output).toContain("URL       https://api.example.com");
    expect(run.output).toContain("Account   https://account.example.com");
  });

  it("uploads the Worker with the derived URLs, trusted origins, cookie domain and RP ID", () => {
    const bindings = api.workers.get(plan.names.worker)?.metadata.bindings ?? [];
    const text = (name: string) => bindings.find((b) => b.name === name)?.text;
    expect(text("BETTER_AUTH_URL")).toBe("https://api.example.com");
    expect(text("ACCOUNT_URL")).toBe("https://account.example.com");
    expect(text("APP_URL")).toBe("https://account.example.com");
    expect(text("AUTHFORM_TRUSTED_ORIGINS")).toBe("https://api.example.com,https://account.example.com");
    expect(text("AUTHFORM_COOKIE_DOMAIN")).toBe("example.com");
    expect(text("AUTHFORM_RP_ID")).toBe("example.com");
  });

  it("changes nothing on an unchanged re-run", async () => {
    const mark = api.mark();
    const run = await deploy(prod, config, env);
    expect(run.code, run.output).toBe(0);
    expect(routesOf(mutating(api.since(mark)))).toEqual([]);
    expect(run.output).toContain("Unchanged: the stage already matches the config");
    expect(api.domains.list()).toHaveLength(2);
  });
});

describe("a preview stage", () => {
  it("binds no custom domain and serves on its own workers.dev URL", async () => {
    const previewEnv = { ...env, CLOUDFLARE_WORKERS_SUBDOMAIN: api.options.subdomain };
    const previewPlan = await planFor(config, previewEnv, preview);
    const mark = api.mark();
    const run = await deploy(preview, config, previewEnv);
    expect(run.code, run.output).toBe(0);
    expect(api.since(mark).filter((r) => r.path.includes("/workers/domains") && r.method !== "GET")).toEqual(
      [],
    );
    expect(api.domains.list({ service: previewPlan.names.worker })).toEqual([]);
    const url = `https://${previewPlan.names.worker}.${api.options.subdomain}.workers.dev`;
    const bindings = api.workers.get(previewPlan.names.worker)?.metadata.bindings ?? [];
    const text = (name: string) => bindings.find((b) => b.name === name)?.text;
    expect([text("BETTER_AUTH_URL"), text("ACCOUNT_URL"), text("APP_URL")]).toEqual([url, url, url]);
    expect(text("AUTHFORM_TRUSTED_ORIGINS")).toBe(url);
    expect(text("AUTHFORM_COOKIE_DOMAIN")).toBeUndefined();
    expect(run.output).toContain(`URL       ${url}`);
    // Production's bindings are untouched.
    expect(api.domains.list({ service: plan.names.worker })).toHaveLength(2);
  });
});

describe("--destroy", () => {
  it("removes the production stage's custom domains with its Worker (its data stays)", async () => {
    const ids = api.domains.list({ service: plan.names.worker }).map((d) => d.id);
    const mark = api.mark();
    const run = await destroy(prod, config, env);
    expect(run.code, run.output).toBe(0);
    expect(routesOf(mutating(api.since(mark))).sort()).toEqual(
      [
        ...ids.map((id) => `DELETE ${acct()}/workers/domains/${id}`),
        `DELETE ${acct()}/workers/scripts/${plan.names.worker}`,
      ].sort(),
    );
    expect(api.domains.list()).toEqual([]);
  });
});
