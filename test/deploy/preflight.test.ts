/** `--check`, `--plan --check` and a first deploy's preflight, against the Cloudflare stand-in: read-only, and missing access named. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CloudflareApiStandIn,
  DEPLOY_PERMISSIONS,
  mutating,
  TOKEN_ID,
} from "../support/cloudflare-api/index.ts";
import { SesApiStandIn } from "../support/ses-api.ts";
import { freePort, uniqueStage } from "../support/stack.ts";
import { deploy, deployEnv, destroy, planFor, writeConfig } from "./deploy-support.ts";

const TOKEN_PAGE = "https://dash.cloudflare.com/profile/api-tokens";
const started: CloudflareApiStandIn[] = [];
let config: string;
let plainConfig: string;
let domainsConfig: string;
let webhooksConfig: string;
const prod = uniqueStage("pfprod");

beforeAll(async () => {
  config = await writeConfig("preflight.config.ts", { app: "preflight", storage: true });
  plainConfig = await writeConfig("preflight-plain.config.ts", { app: "preflight" });
  webhooksConfig = await writeConfig("preflight-webhooks.config.ts", {
    app: "preflight-wh",
    webhooks: [
      { url: "https://hooks.example.com/in", events: ["user.created"], secretEnv: "WEBHOOK_SECRET" },
    ],
  });
  domainsConfig = await writeConfig("preflight-domains.config.ts", {
    app: "preflight-dom",
    productionStages: [prod],
    runtime: { domains: { api: "auth.example.com", zone: "example.com" } },
  });
});

afterAll(async () => {
  for (const api of started) await api.close();
});

async function standIn(options: Parameters<typeof CloudflareApiStandIn.start>[0] = {}) {
  const api = await CloudflareApiStandIn.start(options);
  started.push(api);
  return api;
}

/** The deploy token, minus some of its groups (Cloudflare's API names), plus others. */
const without = (...groups: string[]) => DEPLOY_PERMISSIONS.filter((p) => !groups.includes(p));
/** A token that may read its own permission groups (GET /user/tokens/{id}). */
const READS_ITSELF = "API Tokens Read";

// Each case has its own stand-in and stage: they all run side by side (vitest's maxConcurrency, 5),
// the two long deploy cases (six and four runs) first, so the short --check cases fill the other lanes.
describe.concurrent("side by side", () => {
  describe.concurrent("a deploy", () => {
    it("stops at the preflight before creating anything when the token lacks a permission, then deploys once it has it", async () => {
      const api = await standIn({ permissions: without("Workers Scripts Write") });
      const stage = uniqueStage("pf");
      const env = deployEnv(api);
      const run = await deploy(stage, config, env);
      expect(run.code, run.output).toBe(1);
      expect(run.output).toContain("✗ Account · Workers Scripts · Edit");
      expect(run.output).toContain("Nothing was provisioned.");
      expect(mutating(api.requests)).toEqual([]);

      api.options.permissions.push("Workers Scripts Write");
      try {
        const again = await deploy(stage, config, env);
        expect(again.code, again.output).toBe(0);
        expect(again.output).toContain("Preflight passed");
        // Deployed whole: the next run skips the preflight and sends nothing.
        const mark = api.mark();
        const third = await deploy(stage, config, env);
        expect(third.code, third.output).toBe(0);
        expect(third.output).not.toContain("Preflight");
        expect(api.since(mark)).toEqual([]);
      } finally {
        await destroy(stage, config, env);
      }
    }, 120_000);

    it("with webhooks, stops when the token lacks Queues, naming it, before creating anything", async () => {
      const api = await standIn({ permissions: without("Queues Write") });
      const env = deployEnv(api, { WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 7).toString("base64")}` });
      const run = await deploy(uniqueStage("pf"), webhooksConfig, env);
      expect(run.code, run.output).toBe(1);
      expect(run.output).toContain("✗ Account · Queues · Edit");
      // The probe that found it: the account's queues, refused.
      expect(
        api.requests.some((r) => r.path === `/accounts/${api.options.accountId}/queues` && r.status === 403),
      ).toBe(true);
      expect(run.output).toContain("Nothing was provisioned.");
      expect(mutating(api.requests)).toEqual([]);
      expect(api.queues.list({}).body.result).toEqual([]);
    });

    it("of a deployed stage is preflighted again when the plan adds a step (KV), and not when it adds none", async () => {
      const api = await standIn({ permissions: without("Workers KV Storage Write") });
      const stage = uniqueStage("pf");
      const env = deployEnv(api);
      try {
        const first = await deploy(stage, plainConfig, env);
        expect(first.code, first.output).toBe(0);
        expect(first.output).toContain("Preflight passed");
        // Settled, nothing added: no preflight, nothing sent.
        let mark = api.mark();
        const unchanged = await deploy(stage, plainConfig, env);
        expect(unchanged.code, unchanged.output).toBe(0);
        expect(unchanged.output).not.toContain("Preflight");
        expect(api.since(mark)).toEqual([]);

        const planned = await deploy(stage, plainConfig, env, ["--plan"]);
        expect(planned.output).toContain(
          `The deploy skips it: stage ${stage} is deployed whole and the plan adds no step.`,
        );
        const plannedKv = await deploy(stage, config, env, ["--plan"]);
        expect(plannedKv.output).toContain(`The deploy runs it first: the plan adds kv to stage ${stage}.`);
        expect(api.since(mark)).toEqual([]);

        // The config now asks for KV storage, which the token may not create: stopped before any write.
        mark = api.mark();
        const withKv = await deploy(stage, config, env);
        expect(withKv.code, withKv.output).toBe(1);
        expect(withKv.output).toContain("✗ Account · Workers KV Storage · Edit");
        expect(withKv.output).toContain(
          `Stage "${stage}" stays as its last run left it: the preflight sent only reads.`,
        );
        expect(mutating(api.since(mark))).toEqual([]);

        api.options.permissions.push("Workers KV Storage Write");
        const granted = await deploy(stage, config, env);
        expect(granted.code, granted.output).toBe(0);
        expect(granted.output).toContain("Preflight passed");
        const { names } = await planFor(config, env, stage);
        expect(api.kv.byTitle(names.kv as string)).toBeDefined();
      } finally {
        await destroy(stage, config, env);
      }
    }, 150_000);
  });

  describe.concurrent("--check", () => {
    it("with a token that holds everything: each check passes, only GETs are sent, exit 0", async () => {
      const api = await standIn();
      const run = await deploy(uniqueStage("pf"), config, deployEnv(api), ["--check"]);
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain(`Preflight (read-only, GET requests only) against ${api.baseUrl}:`);
      for (const line of [
        "✓ API token is active",
        `✓ account ${api.options.accountId} is open to the token`,
        "✓ Account · Workers Scripts · Edit",
        "✓ Account · D1 · Edit",
        "✓ Account · Workers KV Storage · Edit",
        "Preflight passed.",
      ])
        expect(run.output).toContain(line);
      // A deploy token rarely may read itself: said plainly, with what the reads cannot tell.
      expect(run.output).toContain(
        "! permissions checked with reads only — the token's permission groups are not readable (403: [10000] Authentication error; that needs User · API Tokens · Read)",
      );
      expect(run.output).toContain(
        "a read-only token passes here, and write access is confirmed when the deploy first writes",
      );
      expect(api.requests.length).toBeGreaterThan(0);
      expect(api.requests.every((r) => r.method === "GET")).toBe(true);
      // Nothing of the stage was started: no Alchemy run, no state.
      expect(run.output).not.toContain("Alchemy");
    });

    it("a read-only token that may read itself: every write it lacks named from its policies, exit 1", async () => {
      const api = await standIn({
        permissions: [
          "Workers Scripts Read",
          "D1 Read",
          "Workers KV Storage Read",
          "Zone Read",
          READS_ITSELF,
        ],
      });
      const run = await deploy(uniqueStage("pf"), config, deployEnv(api), ["--check"]);
      expect(run.code, run.output).toBe(1);
      expect(run.output).toContain(`✓ permission groups read from the token (GET /user/tokens/${TOKEN_ID})`);
      expect(run.output).toContain(
        "✗ Account · Workers Scripts · Edit — not in the token's policies (needs Workers Scripts Write)",
      );
      expect(run.output).toContain(
        "The token lacks: Account · Workers Scripts · Edit, Account · D1 · Edit, Account · Workers KV Storage · Edit, Account · Email Sending · Edit.",
      );
      expect(run.output).not.toContain("checked with reads only");
      // The reads this token may make answered 200, as they do for any read-only token: the
      // policies, not the reads, found what it lacks.
      const d1Read = api.requests.find((r) => r.path.endsWith("/d1/database"));
      expect(d1Read?.status).toBe(200);
      expect(mutating(api.requests)).toEqual([]);
    });

    it("with webhooks: Queues is checked, by a read of the account's queues, and passes on a full token", async () => {
      const api = await standIn();
      const env = deployEnv(api, { WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 7).toString("base64")}` });
      const run = await deploy(uniqueStage("pf"), webhooksConfig, env, ["--check"]);
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain("✓ Account · Queues · Edit");
      expect(api.requests.some((r) => r.path === `/accounts/${api.options.accountId}/queues`)).toBe(true);
      expect(api.requests.every((r) => r.method === "GET")).toBe(true);
    });

    it("a full token that may read itself passes on its policies alone", async () => {
      const api = await standIn({ permissions: [...DEPLOY_PERMISSIONS, READS_ITSELF] });
      const run = await deploy(uniqueStage("pf"), config, deployEnv(api), ["--check"]);
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain("✓ permission groups read from the token");
      expect(run.output).toContain("✓ Account · Workers KV Storage · Edit");
    });

    it("an account-owned token: verified at the account's endpoint, its policies read there", async () => {
      const api = await standIn({
        tokenOwner: "account",
        permissions: [...without("D1 Write"), "Account API Tokens Read"],
      });
      const run = await deploy(uniqueStage("pf"), config, deployEnv(api), ["--check"]);
      expect(run.code, run.output).toBe(1);
      expect(run.output).toContain("✓ API token is active (account-owned)");
      expect(run.output).toContain(
        `✓ permission groups read from the token (GET /accounts/${api.options.accountId}/tokens/${TOKEN_ID})`,
      );
      expect(run.output).toContain("The token lacks: Account · D1 · Edit.");
    });

    it("Email Sending (the send_email binding): the permission from the policies, and EMAIL_FROM's domain onboarded", async () => {
      const api = await standIn({
        permissions: [...DEPLOY_PERMISSIONS, READS_ITSELF],
        sendingDomains: ["example.com"],
      });
      const env = deployEnv(api, { EMAIL_FROM: "noreply@example.com" });
      const run = await deploy(uniqueStage("pf"), config, env, ["--check"]);
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain("✓ Account · Email Sending · Edit");
      expect(run.output).toContain("✓ Email Sending for example.com: onboarded and enabled");
      expect(api.requests.map((r) => r.path)).toContain(
        `/zones/${api.domains.zones[0]?.id}/email/sending/subdomains`,
      );
    });

    it("Email Sending: a sender domain not onboarded is said plainly, and does not stop the deploy", async () => {
      const api = await standIn({ permissions: [...DEPLOY_PERMISSIONS, READS_ITSELF] });
      const env = deployEnv(api, { EMAIL_FROM: "noreply@example.com" });
      const run = await deploy(uniqueStage("pf"), config, env, ["--check"]);
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain(
        "! Email Sending for example.com — example.com is not onboarded on the zone example.com: the deploy succeeds, but every email from noreply@example.com fails until it is (dashboard → Email Sending → Onboard Domain)",
      );
    });

    it("Email Sending: a token that may not read itself or Email Sending is told it lacks it", async () => {
      const api = await standIn({
        permissions: without("Email Sending Write"),
        sendingDomains: ["example.com"],
      });
      const env = deployEnv(api, { EMAIL_FROM: "noreply@example.com" });
      const run = await deploy(uniqueStage("pf"), config, env, ["--check"]);
      expect(run.code, run.output).toBe(1);
      expect(run.output).toContain(
        "✗ Account · Email Sending · Edit — refused (403: [10000] Authentication error)",
      );
      expect(run.output).toContain("The token lacks: Account · Email Sending · Edit.");
    });

    it("names each permission the token lacks by its dashboard name, with the tokens page; exit 1", async () => {
      const api = await standIn({ permissions: without("D1 Write", "Workers KV Storage Write") });
      const run = await deploy(uniqueStage("pf"), config, deployEnv(api), ["--check"]);
      expect(run.code, run.output).toBe(1);
      expect(run.output).toContain("✗ Account · D1 · Edit — refused (403: [10000] Authentication error)");
      expect(run.output).toContain("✗ Account · Workers KV Storage · Edit");
      expect(run.output).toContain("✓ Account · Workers Scripts · Edit");
      expect(run.output).toContain(
        "The token lacks: Account · D1 · Edit, Account · Workers KV Storage · Edit.",
      );
      expect(run.output).toContain(TOKEN_PAGE);
      expect(run.output).toContain("Preflight failed.");
      expect(mutating(api.requests)).toEqual([]);
    });

    it("checks the zone's permissions when the plan has custom domains", async () => {
      const api = await standIn({ permissions: without("Workers Routes Write") });
      const env = deployEnv(api);
      delete env.BETTER_AUTH_URL;
      const run = await deploy(prod, domainsConfig, env, ["--check"]);
      expect(run.code, run.output).toBe(1);
      expect(run.output).toContain("✓ Zone · Zone · Read (example.com)");
      expect(run.output).toContain("✗ Zone · Workers Routes · Edit (example.com)");
      expect(run.output).toContain("✓ Zone · DNS · Edit (example.com)");
    });

    it("checks the zone's permissions from the token's policies, on that zone's id", async () => {
      const api = await standIn({ permissions: [...without("DNS Write"), READS_ITSELF] });
      const env = deployEnv(api);
      delete env.BETTER_AUTH_URL;
      const run = await deploy(prod, domainsConfig, env, ["--check"]);
      expect(run.code, run.output).toBe(1);
      expect(run.output).toContain("✓ Zone · Zone · Read (example.com)");
      expect(run.output).toContain("✓ Zone · Workers Routes · Edit (example.com)");
      expect(run.output).toContain(
        "✗ Zone · DNS · Edit (example.com) — not in the token's policies (needs DNS Write)",
      );
      expect(run.output).toContain("The token lacks: Zone · DNS · Edit (example.com).");
    });

    it("a token Cloudflare does not know: said once, nothing else tried", async () => {
      const api = await standIn();
      const run = await deploy(
        uniqueStage("pf"),
        config,
        { ...deployEnv(api), CLOUDFLARE_API_TOKEN: "revoked" },
        ["--check"],
      );
      expect(run.code).toBe(1);
      expect(run.output).toContain(
        "✗ API token (CLOUDFLARE_API_TOKEN) — not accepted (401: [1000] Invalid API Token)",
      );
      // Unknown to the user's endpoint, then to the account's (where an account-owned token verifies).
      expect(api.requests.map((r) => r.path)).toEqual([
        "/user/tokens/verify",
        `/accounts/${api.options.accountId}/tokens/verify`,
      ]);
    });

    it("an account the token may not use", async () => {
      const api = await standIn();
      const run = await deploy(
        uniqueStage("pf"),
        config,
        { ...deployEnv(api), CLOUDFLARE_ACCOUNT_ID: "ffffffffffffffffffffffffffffffff" },
        ["--check"],
      );
      expect(run.code).toBe(1);
      expect(run.output).toContain("✗ account ffffffffffffffffffffffffffffffff — the token may not use it");
      expect(run.output).toContain("Check CLOUDFLARE_ACCOUNT_ID");
    });

    it("a workers.dev URL on an account with no workers.dev subdomain", async () => {
      const api = await standIn({ noSubdomain: true });
      const env: NodeJS.ProcessEnv = { ...deployEnv(api), CLOUDFLARE_WORKERS_SUBDOMAIN: "authform-tests" };
      delete env.BETTER_AUTH_URL;
      // A preview stage of the domains config serves on workers.dev.
      const run = await deploy(uniqueStage("pfpr"), domainsConfig, env, ["--check"]);
      expect(run.code, run.output).toBe(1);
      expect(run.output).toContain("✗ workers.dev subdomain — the plan serves on");
      expect(run.output).toContain("[10007] workers.dev subdomain not found");
      expect(run.output).toContain("Open Workers & Pages in the Cloudflare dashboard once");
    });

    it("Cloudflare unreachable: one line with the host and what to check", async () => {
      const api = await standIn();
      const closed = await freePort();
      const run = await deploy(
        uniqueStage("pf"),
        config,
        { ...deployEnv(api), CLOUDFLARE_BASE_URL: `http://127.0.0.1:${closed}/client/v4` },
        ["--check"],
      );
      expect(run.code).toBe(1);
      expect(run.output).toContain(`✗ Cloudflare API reachable — Cloudflare could not be reached`);
      expect(run.output).toContain(`127.0.0.1:${closed}`);
      expect(run.output).not.toMatch(/^\s+at /m);
    });

    it("without Cloudflare credentials says it needs them", async () => {
      const api = await standIn();
      const env = deployEnv(api);
      delete env.CLOUDFLARE_API_TOKEN;
      const run = await deploy(uniqueStage("pf"), config, env, ["--check"]);
      expect(run.code).toBe(1);
      expect(run.output).toContain("--check checks Cloudflare credentials: set CLOUDFLARE_API_TOKEN");
    });
  });

  describe.concurrent("--plan", () => {
    it("alone marks the preflight as not run, says the deploy runs it first on a new stage, and sends nothing", async () => {
      const api = await standIn();
      const stage = uniqueStage("pf");
      const run = await deploy(stage, config, deployEnv(api), ["--plan"]);
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain(
        `Preflight\n  Not run by --plan, which sends nothing to Cloudflare. The deploy runs it first: stage ${stage} has nothing deployed yet.\n  Run it now (read-only, GET requests only) with --plan --check.`,
      );
      expect(api.requests).toEqual([]);
    });

    it("prints the plan, then the preflight, clearly read-only; sends only GETs", async () => {
      const api = await standIn({ permissions: without("D1 Write") });
      const run = await deploy(uniqueStage("pf"), config, deployEnv(api), ["--plan", "--check"]);
      expect(run.code, run.output).toBe(1);
      expect(run.output.indexOf("Preflight (read-only")).toBeGreaterThan(run.output.indexOf("Changes"));
      expect(run.output).toContain("✗ Account · D1 · Edit");
      expect(mutating(api.requests)).toEqual([]);
    });
  });
});

describe("--check with email through SES", () => {
  const SES = {
    AWS_ACCESS_KEY_ID: "AKIAPREFLIGHT000001",
    AWS_SECRET_ACCESS_KEY: "preflight/test+secret",
    AWS_SES_REGION: "eu-west-1",
    EMAIL_FROM: "noreply@example.com",
  };
  let ses: SesApiStandIn;
  let sesConfig: string;
  beforeAll(async () => {
    ses = await SesApiStandIn.start({
      accessKeyId: SES.AWS_ACCESS_KEY_ID,
      secretAccessKey: SES.AWS_SECRET_ACCESS_KEY,
      region: SES.AWS_SES_REGION,
    });
    sesConfig = await writeConfig("preflight-ses.config.ts", { app: "preflight-ses", email: "aws-ses" });
  });
  afterAll(async () => {
    await ses?.close();
  });

  it("says plainly that a sandbox account mails only verified addresses, how to leave it, the quota and the identity's state", async () => {
    const api = await standIn();
    const run = await deploy(uniqueStage("pfses"), sesConfig, deployEnv(api, { ...SES, ...ses.env() }), [
      "--check",
    ]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain("AWS SES (read-only: GetAccount, GetEmailIdentity):");
    expect(run.output).toContain("✓ credentials work in region eu-west-1");
    expect(run.output).toContain("! sandbox mode — mail reaches only verified addresses and domains");
    expect(run.output).toContain("200 per 24 h, 1 per second");
    expect(run.output).toContain("Request production access");
    expect(run.output).toContain("identity example.com — not in SES eu-west-1 yet: the deploy creates it");
    // Read-only on SES too: nothing was created.
    expect(ses.identities.size).toBe(0);
  });

  it("with production access: the quota, and an unverified identity said as such", async () => {
    const api = await standIn();
    ses.productionAccess = true;
    ses.identities.set("example.com", {
      type: "DOMAIN",
      verified: false,
      tokens: ["a", "b", "c"],
      createdAt: 0,
    });
    try {
      const run = await deploy(uniqueStage("pfses"), sesConfig, deployEnv(api, { ...SES, ...ses.env() }), [
        "--check",
      ]);
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain("✓ production access; sending quota 50000 per 24 h, 14 per second");
      expect(run.output).not.toContain("sandbox");
      expect(run.output).toContain("! identity example.com — PENDING: not verified yet");
    } finally {
      ses.productionAccess = false;
      ses.identities.clear();
    }
  });

  it("a key AWS does not accept fails the check", async () => {
    const api = await standIn();
    const run = await deploy(
      uniqueStage("pfses"),
      sesConfig,
      deployEnv(api, { ...SES, ...ses.env(), AWS_ACCESS_KEY_ID: "AKIAWRONGKEY0000001" }),
      ["--check"],
    );
    expect(run.code).toBe(1);
    expect(run.output).toContain("✗ credentials in region eu-west-1 — AWS did not accept AWS_ACCESS_KEY_ID");
    expect(run.output).toContain("UnrecognizedClientException");
  });
});
