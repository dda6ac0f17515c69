/** runtime.domains.mount: "routes" on Cloudflare (the stand-in): Worker routes on the API hostname, kept in step with the config, removed by destroy. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeploymentPlan } from "../../src/plan/types.ts";
import {
  CloudflareApiStandIn,
  mutating,
  type RecordedRequest,
  routesOf,
} from "../support/cloudflare-api/index.ts";
import { uniqueStage } from "../support/stack.ts";
import {
  deploy,
  deployEnv,
  destroy,
  destroyStages,
  killableRun,
  planFor,
  writeConfig,
} from "./deploy-support.ts";

const APP = "deploy-routes";
const FILE = "worker-routes.config.ts";
const prod = uniqueStage("rprod");
const preview = uniqueStage("rpr");
const ROUTES = {
  api: "api.example.com",
  account: "account.example.com",
  zone: "example.com",
  mount: "routes",
};
let api: CloudflareApiStandIn;
let config: string;
let env: NodeJS.ProcessEnv;
let plan: DeploymentPlan;

/** Rewrites the config file with these domains (as a person editing it would). */
function configure(domains: Record<string, string>) {
  return writeConfig(FILE, { app: APP, productionStages: [prod], runtime: { domains } });
}

beforeAll(async () => {
  api = await CloudflareApiStandIn.start({ zones: ["example.com"] });
  config = await configure(ROUTES);
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

const zoneId = () => api.domains.zones.find((z) => z.name === "example.com")?.id as string;
const zoneRoutes = () => `/zones/${zoneId()}/workers/routes`;
const routeRequests = (requests: RecordedRequest[]) =>
  requests.filter((r) => r.path.includes("/workers/routes"));
const routeTable = () =>
  api.workerRoutes
    .all()
    .map(({ pattern, script, zone }) => ({ pattern, script, zone }))
    .sort((a, b) => a.pattern.localeCompare(b.pattern));
const hostnames = () =>
  api.domains
    .list()
    .map((d) => d.hostname)
    .sort();

describe("the production stage in routes mode", () => {
  it("refuses to take a pattern another route already holds, and names it", async () => {
    // The hostname's owner already routes /api/v1/* (here: a route that turns Workers off there).
    const taken = api.workerRoutes.create(zoneId(), { pattern: "api.example.com/api/v1/*" });
    const run = await deploy(prod, config, env);
    expect(run.code).toBe(1);
    expect(run.output).toContain("api.example.com/api/v1/*");
    expect(run.output).toContain("A route with the same pattern already exists.");
    // Nothing was moved off the existing route.
    expect(api.workerRoutes.get(zoneId(), taken.id)).toEqual({
      id: taken.id,
      pattern: "api.example.com/api/v1/*",
    });
    api.workerRoutes.delete(zoneId(), taken.id);
  });

  it("creates exactly authform's routes on the API hostname, bound to the stage's Worker, and a custom domain for the Account SPA", async () => {
    const mark = api.mark();
    const run = await deploy(prod, config, env);
    expect(run.code, run.output).toBe(0);
    const created = api.since(mark).filter((r) => r.method === "POST" && r.path === zoneRoutes());
    // The first, refused run may have created /auth/v1/* already: this run creates what is missing.
    expect(routeTable()).toEqual([
      { pattern: "api.example.com/api/v1/*", script: plan.names.worker, zone: "example.com" },
      { pattern: "api.example.com/auth/v1/*", script: plan.names.worker, zone: "example.com" },
    ]);
    for (const request of created) expect(request.body).toMatchObject({ script: plan.names.worker });
    // The API hostname stays with its owner: only the Account hostname is a custom domain.
    expect(hostnames()).toEqual(["account.example.com"]);
    const bindings = api.workers.get(plan.names.worker)?.metadata.bindings ?? [];
    const text = (name: string) => bindings.find((b) => b.name === name)?.text;
    expect(text("BETTER_AUTH_URL")).toBe("https://api.example.com");
    expect(text("ACCOUNT_URL")).toBe("https://account.example.com");
    expect(run.output).toContain("URL       https://api.example.com");
  });

  it("--plan lists the routes and changes nothing", async () => {
    const mark = api.mark();
    const run = await deploy(prod, config, env, ["--plan"]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(
      "  Route         api.example.com/auth/v1/*  (Worker route → the Worker, zone example.com)",
    );
    expect(run.output).toContain(
      "  Route         api.example.com/api/v1/*  (Worker route → the Worker, zone example.com)",
    );
    expect(run.output).toContain("must already exist and be proxied through Cloudflare");
    expect(mutating(api.since(mark))).toEqual([]);
  });

  it("sends no route request on an unchanged re-run", async () => {
    const mark = api.mark();
    const run = await deploy(prod, config, env);
    expect(run.code, run.output).toBe(0);
    expect(routeRequests(api.since(mark))).toEqual([]);
    expect(routesOf(mutating(api.since(mark)))).toEqual([]);
    expect(routeTable()).toHaveLength(2);
  });

  it("moves the routes in place when the API hostname changes", async () => {
    const before = new Set(api.workerRoutes.all().map((r) => r.id));
    config = await configure({ ...ROUTES, api: "www.example.com" });
    const mark = api.mark();
    const run = await deploy(prod, config, env);
    expect(run.code, run.output).toBe(0);
    const changes = routeRequests(mutating(api.since(mark)));
    expect(changes.map((r) => r.method)).toEqual(["PUT", "PUT"]);
    expect(new Set(api.workerRoutes.all().map((r) => r.id))).toEqual(before);
    expect(routeTable().map((r) => r.pattern)).toEqual([
      "www.example.com/api/v1/*",
      "www.example.com/auth/v1/*",
    ]);
    config = await configure(ROUTES);
    expect((await deploy(prod, config, env)).code).toBe(0);
    expect(routeTable().map((r) => r.pattern)).toEqual([
      "api.example.com/api/v1/*",
      "api.example.com/auth/v1/*",
    ]);
  });
});

describe("switching modes", () => {
  it("custom-domain mode deletes the routes and binds the API hostname", async () => {
    config = await configure({ ...ROUTES, mount: "custom-domain" });
    const ids = api.workerRoutes.all().map((r) => r.id);
    const mark = api.mark();
    const run = await deploy(prod, config, env);
    expect(run.code, run.output).toBe(0);
    const changes = routesOf(routeRequests(mutating(api.since(mark)))).sort();
    expect(changes).toEqual(ids.map((id) => `DELETE ${zoneRoutes()}/${id}`).sort());
    expect(routeTable()).toEqual([]);
    expect(hostnames()).toEqual(["account.example.com", "api.example.com"]);
  });

  it("routes mode again removes the API custom domain and creates the routes", async () => {
    config = await configure(ROUTES);
    const apiDomain = api.domains.list({ hostname: "api.example.com" })[0]?.id;
    const mark = api.mark();
    const run = await deploy(prod, config, env);
    expect(run.code, run.output).toBe(0);
    const requests = mutating(api.since(mark));
    expect(routesOf(requests)).toContain(
      `DELETE /accounts/${api.options.accountId}/workers/domains/${apiDomain}`,
    );
    expect(routesOf(routeRequests(requests))).toEqual([`POST ${zoneRoutes()}`, `POST ${zoneRoutes()}`]);
    expect(hostnames()).toEqual(["account.example.com"]);
    expect(routeTable().map((r) => r.pattern)).toEqual([
      "api.example.com/api/v1/*",
      "api.example.com/auth/v1/*",
    ]);
  });
});

describe("a deploy killed right after Cloudflare created a route", () => {
  it("converges on the next run: the route is taken over, not duplicated or refused", async () => {
    config = await configure({ ...ROUTES, mount: "custom-domain" });
    expect((await deploy(prod, config, env)).code).toBe(0);
    expect(routeTable()).toEqual([]);
    config = await configure(ROUTES);
    const run = killableRun(["--stage", prod, "--config", config], env);
    let killed = false;
    api.afterHandling({
      method: "POST",
      path: /\/workers\/routes$/,
      run: async () => {
        killed = true;
        await run.kill();
      },
    });
    await run.done;
    expect(killed, "the kill point was reached").toBe(true);
    expect(routeTable()).toHaveLength(1);
    const rerun = await deploy(prod, config, env);
    expect(rerun.code, rerun.output).toBe(0);
    expect(routeTable()).toEqual([
      { pattern: "api.example.com/api/v1/*", script: plan.names.worker, zone: "example.com" },
      { pattern: "api.example.com/auth/v1/*", script: plan.names.worker, zone: "example.com" },
    ]);
    expect((await deploy(prod, config, env)).output).toContain("Unchanged:");
  });
});

describe("a preview stage", () => {
  it("creates no route and no custom domain", async () => {
    const previewEnv = { ...env, CLOUDFLARE_WORKERS_SUBDOMAIN: api.options.subdomain };
    const previewPlan = await planFor(config, previewEnv, preview);
    const mark = api.mark();
    const run = await deploy(preview, config, previewEnv);
    expect(run.code, run.output).toBe(0);
    expect(routeRequests(api.since(mark))).toEqual([]);
    expect(api.since(mark).filter((r) => r.path.includes("/workers/domains") && r.method !== "GET")).toEqual(
      [],
    );
    expect(api.workerRoutes.all().filter((r) => r.script === previewPlan.names.worker)).toEqual([]);
    expect(run.output).toContain(
      `URL       https://${previewPlan.names.worker}.${api.options.subdomain}.workers.dev`,
    );
    // Production's routes are untouched.
    expect(routeTable()).toHaveLength(2);
  });
});

describe("--destroy", () => {
  it("removes the production stage's routes and custom domain with its Worker (its data stays)", async () => {
    const routeIds = api.workerRoutes.all().map((r) => r.id);
    const domainIds = api.domains.list({ service: plan.names.worker }).map((d) => d.id);
    const mark = api.mark();
    const run = await destroy(prod, config, env);
    expect(run.code, run.output).toBe(0);
    expect(routesOf(mutating(api.since(mark))).sort()).toEqual(
      [
        ...routeIds.map((id) => `DELETE ${zoneRoutes()}/${id}`),
        ...domainIds.map((id) => `DELETE /accounts/${api.options.accountId}/workers/domains/${id}`),
        `DELETE /accounts/${api.options.accountId}/workers/scripts/${plan.names.worker}`,
      ].sort(),
    );
    expect(api.workerRoutes.all()).toEqual([]);
    expect(api.domains.list({ service: plan.names.worker })).toEqual([]);
    expect(api.d1.list(plan.names.database)).toHaveLength(1);
  });
});

describe("the stand-in's Workers Routes API", () => {
  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${api.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${api.options.token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as { success: boolean; errors: { code: number }[]; result: unknown };
    return { status: res.status, codes: json.errors.map((e) => e.code), result: json.result };
  }

  it("answers Cloudflare's shapes and refuses what Cloudflare refuses", async () => {
    const created = await call("POST", zoneRoutes(), { pattern: "shop.example.com/*" });
    expect(created.status).toBe(200);
    const id = (created.result as { id: string }).id;
    expect(created.result).toEqual({ id, pattern: "shop.example.com/*" });
    expect((await call("GET", zoneRoutes())).result).toContainEqual({ id, pattern: "shop.example.com/*" });
    // The same pattern twice in a zone.
    expect(await call("POST", zoneRoutes(), { pattern: "shop.example.com/*" })).toMatchObject({
      status: 409,
      codes: [10020],
    });
    // A script that does not exist, a pattern outside the zone or with a wildcard mid-path.
    expect((await call("POST", zoneRoutes(), { pattern: "a.example.com/*", script: "nope" })).codes).toEqual([
      10019,
    ]);
    expect((await call("POST", zoneRoutes(), { pattern: "a.example.org/*" })).codes).toEqual([10022]);
    expect((await call("POST", zoneRoutes(), { pattern: "a.example.com/*/x" })).codes).toEqual([10022]);
    expect((await call("POST", "/zones/0000/workers/routes", { pattern: "a.example.com/*" })).codes).toEqual([
      7003,
    ]);
    // Update replaces the pattern; unknown ids are 404; delete answers the id.
    expect((await call("PUT", `${zoneRoutes()}/${id}`, { pattern: "shop.example.com/v2/*" })).result).toEqual(
      {
        id,
        pattern: "shop.example.com/v2/*",
      },
    );
    expect((await call("PUT", `${zoneRoutes()}/missing`, { pattern: "x.example.com/*" })).status).toBe(404);
    expect((await call("DELETE", `${zoneRoutes()}/${id}`)).result).toEqual({ id });
    expect((await call("DELETE", `${zoneRoutes()}/${id}`)).status).toBe(404);
  });
});
