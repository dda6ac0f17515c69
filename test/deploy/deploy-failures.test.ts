/**
 * A deploy that fails part-way, against the Cloudflare and SES stand-ins: each fault at each step
 * reads as one message (cause, fix, what the stage holds), exits non-zero with no stack trace, and
 * a re-run converges once the fault is gone. Passing 429s and 5xx are retried and never seen.
 * Each case has its own stage, and its Cloudflare faults refuse only that stage's requests.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeploymentPlan } from "../../src/plan/types.ts";
import { CloudflareApiStandIn, type RecordedRequest, type Refusal } from "../support/cloudflare-api/index.ts";
import { SesApiStandIn } from "../support/ses-api.ts";
import { freePort, ROOT, type RunResult, uniqueStage } from "../support/stack.ts";
import {
  type DeployedStage,
  deploy,
  deployEnv,
  destroyStages,
  planFor,
  writeConfig,
} from "./deploy-support.ts";

const SES = {
  AWS_ACCESS_KEY_ID: "AKIAFAILURES0000001",
  AWS_SECRET_ACCESS_KEY: "failures/test+secret",
  AWS_SES_REGION: "eu-west-1",
  EMAIL_FROM: "noreply@example.com",
};
let api: CloudflareApiStandIn;
let ses: SesApiStandIn;
let kvConfig: string;
let sesConfig: string;
let domainCases = 0;
const deployed: DeployedStage[] = [];

beforeAll(async () => {
  // Room for every stage this file deploys (the stand-in enforces the account's D1 limit).
  api = await CloudflareApiStandIn.start({ databaseLimit: 100 });
  ses = await SesApiStandIn.start({
    accessKeyId: SES.AWS_ACCESS_KEY_ID,
    secretAccessKey: SES.AWS_SECRET_ACCESS_KEY,
    region: SES.AWS_SES_REGION,
  });
  kvConfig = await writeConfig("failures-kv.config.ts", { app: "fail-kv", storage: true });
  sesConfig = await writeConfig("failures-ses.config.ts", { app: "fail-ses", email: "aws-ses" });
});

afterAll(async () => {
  if (api && ses) {
    await destroyStages(deployed);
  }
  await api?.close();
  await ses?.close();
});

const acct = () => `/accounts/${api.options.accountId}`;
type Step = "database" | "kv" | "worker" | "domains" | "ses";

function envFor(step: Step): NodeJS.ProcessEnv {
  if (step === "ses") return deployEnv(api, { ...SES, ...ses.env() });
  const env = deployEnv(api);
  if (step === "domains") delete env.BETTER_AUTH_URL;
  return env;
}

/** A match on a JSON body's field: the name a create carries. */
const named = (field: string, name: string | undefined) => (body: unknown) =>
  typeof body === "object" && body !== null && (body as Record<string, unknown>)[field] === name;

/**
 * The request each step makes that creates its resource, this stage's only: the name it carries (in
 * the body, or the Worker's in the URL) keeps a refusal off the cases that run beside it.
 */
function ownCreate(step: Exclude<Step, "ses">, plan: DeploymentPlan): Omit<Refusal, "status" | "code"> {
  const { names } = plan;
  switch (step) {
    case "database":
      return {
        method: "POST",
        path: new RegExp(`^${acct()}/d1/database$`),
        body: named("name", names.database),
      };
    case "kv":
      return {
        method: "POST",
        path: new RegExp(`^${acct()}/storage/kv/namespaces$`),
        body: named("title", names.kv),
      };
    case "worker":
      return { method: "PUT", path: new RegExp(`^${acct()}/workers/scripts/${names.worker}$`) };
    case "domains":
      return {
        method: "PUT",
        path: new RegExp(`^${acct()}/workers/domains$`),
        body: named("service", names.worker),
      };
  }
}

/** Whether a recorded request is the one `ownCreate` names. */
const isOwn = (create: Omit<Refusal, "status" | "code">) => (r: RecordedRequest) =>
  r.method === create.method && create.path.test(r.path) && (!create.body || create.body(r.body));

/** What the stage holds when each step fails: every earlier step's resources. */
const STATE: Record<Step, RegExp> = {
  database: /State: Nothing was created; a re-run starts from the beginning\./,
  ses: /State: The D1 database \S+ and the generated secrets exist; a re-run continues from here\./,
  kv: /State: The D1 database \S+ and the generated secrets exist; a re-run continues from here\./,
  worker:
    /State: The D1 database \S+, the generated secrets and the KV namespace \S+ exist; a re-run continues from here\./,
  domains:
    /State: The D1 database \S+, the generated secrets and the Worker \S+ exist; a re-run continues from here\./,
};

interface Fault {
  label: string;
  step: Step;
  /** Sets the fault up on the stand-ins (the plan names what a clash must clash with). */
  inject: (plan: DeploymentPlan) => Promise<void> | void;
  /** Takes it away again. */
  clear: (plan: DeploymentPlan) => Promise<void> | void;
  /** What the message must say: the failing step, the cause and the fix. */
  says: (string | RegExp)[];
  /** Whether to prove, with a third run, that the converged stage has nothing left to change. */
  wholeAfterwards?: boolean;
}

function refusal(step: Exclude<Step, "ses">, fault: Omit<Refusal, "method" | "path">) {
  // Each fault of the table runs once, so one withdraw per entry is enough.
  let withdraw = () => {};
  return {
    inject: (plan: DeploymentPlan) => {
      withdraw = api.refuse({ ...ownCreate(step, plan), ...fault });
    },
    clear: () => withdraw(),
  };
}

const TOKEN_PAGE = "https://dash.cloudflare.com/profile/api-tokens";
const PERMISSIONS: Record<Exclude<Step, "ses">, string> = {
  database: "Account · D1 · Edit",
  kv: "Account · Workers KV Storage · Edit",
  worker: "Account · Workers Scripts · Edit",
  domains: "Zone · Workers Routes · Edit",
};
const STEP_LABEL: Record<Step, string> = {
  database: "the D1 database",
  kv: "the KV namespace",
  worker: "the Worker",
  domains: "the custom domain",
  ses: "the SES sending identity",
};

const cloudflareSteps = ["database", "kv", "worker", "domains"] as const;
const faults: Fault[] = [
  // A 401 reads the same at every step (the token, not a permission, is at fault) and goes through
  // the same classification as the 403s below, which run at every step: once is enough.
  {
    label: "401: the token is not accepted",
    step: "database",
    ...refusal("database", { status: 401, code: 10001, message: "Unable to authenticate request" }),
    says: [
      `failed at ${STEP_LABEL.database}`,
      "Cloudflare did not accept CLOUDFLARE_API_TOKEN",
      "[10001] Unable to authenticate request",
      TOKEN_PAGE,
    ],
    wholeAfterwards: true,
  },
  ...cloudflareSteps.flatMap((step): Fault[] => [
    {
      label: "403: the token lacks this step's permission",
      step,
      ...refusal(step, { status: 403, code: 10000, message: "Authentication error" }),
      says: [
        `failed at ${STEP_LABEL[step]}`,
        "Cloudflare refused the token",
        `this step needs ${PERMISSIONS[step]}`,
        `Edit the token at ${TOKEN_PAGE} and add ${PERMISSIONS[step]}`,
      ],
      // One case per step also proves the stage whole afterwards (a third run changes nothing).
      wholeAfterwards: true,
    },
  ]),
  {
    label: "the account's D1 database limit",
    step: "database",
    ...refusal("database", {
      code: 7406,
      message: "This account has reached its maximum number of D1 databases.",
    }),
    says: ["has reached its limit of D1 databases", "https://developers.cloudflare.com/d1/platform/limits/"],
  },
  {
    label: "the account's KV namespace limit",
    step: "kv",
    ...refusal("kv", { code: 10026, message: "this account has reached its namespace limit" }),
    says: ["has reached its limit of KV namespaces", "https://developers.cloudflare.com/kv/platform/limits/"],
  },
  {
    label: "the account's Workers limit",
    step: "worker",
    ...refusal("worker", {
      code: 10037,
      message: "You have exceeded the limit of 100 Workers on your account.",
    }),
    says: ["has reached its limit of Workers", "https://developers.cloudflare.com/workers/platform/limits/"],
  },
  {
    label: "a database of that name made outside this stage",
    step: "database",
    inject: async (plan) => {
      await api.d1.create({ name: plan.names.database });
    },
    clear: (plan) => {
      for (const db of api.d1.list(plan.names.database)) api.d1.delete(db.uuid);
    },
    says: [
      /The name \S+-db is already used on the account by a D1 database this stage did not create/,
      "[7502]",
    ],
  },
  {
    label: "a KV namespace of that name made outside this stage",
    step: "kv",
    inject: (plan) => {
      api.kv.create({ title: plan.names.kv });
    },
    clear: (plan) => {
      const ns = api.kv.byTitle(plan.names.kv as string);
      if (ns) api.kv.delete(ns.id);
    },
    says: [/The name \S+-kv is already used on the account by a KV namespace this stage did not create/],
  },
  {
    label: "a Worker of that name made outside this stage",
    step: "worker",
    inject: (plan) => {
      api.workers.upload(plan.names.worker, { main_module: "w.js", compatibility_date: "2025-09-01" }, [
        { name: "w.js", contentType: "application/javascript+module", content: new Uint8Array([32]) },
      ]);
    },
    clear: (plan) => api.workers.delete(plan.names.worker),
    says: [/The name \S+ is already used on the account by a Worker this stage did not create/],
  },
  {
    label: "a hostname bound to another Worker",
    step: "domains",
    ...refusal("domains", {
      status: 409,
      code: 100116,
      message: "Hostname already in use by other custom domain.",
    }),
    says: [
      /The name auth\d+\.example\.com is already used on the account by a custom domain this stage did not create/,
    ],
  },
  {
    label: "SES throttling past the SDK's retries",
    step: "ses",
    inject: () => {
      ses.throttled = 1000;
    },
    clear: () => {
      ses.throttled = 0;
    },
    says: [
      "failed at the SES sending identity",
      "AWS SES throttled the requests (TooManyRequestsException)",
      "Wait a minute",
    ],
  },
];

function expectExplained(run: RunResult, says: (string | RegExp)[], state: RegExp) {
  expect(run.code, run.output).toBe(1);
  for (const s of says) {
    if (typeof s === "string") expect(run.output).toContain(s);
    else expect(run.output).toMatch(s);
  }
  expect(run.output).toMatch(state);
  // One message, not Alchemy's stack: no "    at …" frames, no code frame from safeFetch.
  expect(run.output).not.toMatch(/^\s+at /m);
  expect(run.output).not.toContain("Failed to fetch");
}

/**
 * A stage for one case, and its config. Custom domains are the production stage's, one production
 * stage per config: each domains case gets its own config and hostname.
 */
async function prepare(step: Step) {
  const env = envFor(step);
  if (step === "domains") {
    const n = ++domainCases;
    const stage = uniqueStage("fdom");
    const config = await writeConfig(`failures-domains-${n}.config.ts`, {
      app: `fail-dom${n}`,
      productionStages: [stage],
      runtime: { domains: { api: `auth${n}.example.com`, zone: "example.com" } },
    });
    deployed.push({ stage, config, env, args: ["--force"] });
    return { stage, config, env };
  }
  const stage = uniqueStage(`f${step}`);
  const config = step === "ses" ? sesConfig : kvConfig;
  deployed.push({ stage, config, env });
  return { stage, config, env };
}

async function rerunConverges(stage: string, config: string, env: NodeJS.ProcessEnv, whole = true) {
  const again = await deploy(stage, config, env);
  expect(again.code, again.output).toBe(0);
  expect(again.output).not.toContain("Deploy of stage");
  if (!whole) return;
  // And the stage is whole: a third run finds nothing to change.
  const third = await deploy(stage, config, env);
  expect(third.code, third.output).toBe(0);
  expect(third.output).toContain("Unchanged");
}

/** One fault of the table: injected, explained, cleared, and the re-run converges. */
async function faultCase(fault: Fault) {
  const { stage, config, env } = await prepare(fault.step);
  const plan = await planFor(config, env, stage);
  await fault.inject(plan);
  try {
    const run = await deploy(stage, config, env);
    expectExplained(run, [`Deploy of stage "${stage}" failed`, ...fault.says], STATE[fault.step]);
  } finally {
    await fault.clear(plan);
  }
  await rerunConverges(stage, config, env, fault.wholeAfterwards === true);
}

const caseName = "%s: one message with cause, fix and state; a re-run converges";
const labelled = (list: Fault[]) => list.map((f) => [`${f.step}: ${f.label}`, f] as const);

// Every Cloudflare case deploys its own stage and scopes its fault to that stage's requests, so
// they run side by side (vitest's maxConcurrency, 5): a run is mostly Alchemy's retry backoff, or
// one bun process busy on one core. The 5xx case plays Alchemy's ≈ 65 s of backoff 100x faster
// (fast-backoff.ts); it still sees every one of Alchemy's attempts.
describe.concurrent("Cloudflare faults, side by side", () => {
  describe("faults that outlast the retries", () => {
    it("a 5xx on every attempt: reported after Alchemy's bounded retries, nothing created, then converges", async () => {
      const { stage, env } = await prepare("database");
      const scope = ownCreate("database", await planFor(kvConfig, env, stage));
      const mark = api.mark();
      const withdraw = api.refuse({ ...scope, status: 500, code: 10002, message: "Internal server error" });
      try {
        const run = await deploy(stage, kvConfig, {
          ...env,
          BUN_OPTIONS: `--preload ${path.join(ROOT, "test", "deploy", "fast-backoff.ts")}`,
        });
        expectExplained(
          run,
          [
            "Cloudflare kept answering with a server error",
            "through Alchemy's 10 attempts with backoff",
            "https://www.cloudflarestatus.com",
          ],
          /State: Nothing was created; a re-run starts from the beginning\. If Cloudflare made the D1 database before the failure, the re-run takes it over\./,
        );
        // Bounded: Alchemy's 10 attempts, not ours on top of them.
        expect(api.since(mark).filter(isOwn(scope))).toHaveLength(10);
      } finally {
        withdraw();
      }
      await rerunConverges(stage, kvConfig, env);
    }, 180_000);

    it("Cloudflare unreachable (connection refused): the preflight says so naming the host, nothing created, then converges", async () => {
      const { stage, env } = await prepare("database");
      const closed = await freePort();
      const run = await deploy(stage, kvConfig, {
        ...env,
        CLOUDFLARE_BASE_URL: `http://127.0.0.1:${closed}/client/v4`,
      });
      // A stage with nothing deployed is preflighted first: the failure is the preflight's.
      expectExplained(
        run,
        [`Cloudflare could not be reached`, `127.0.0.1:${closed}`, "Check your network connection"],
        /Preflight failed\.\nNothing was provisioned\./,
      );
      await rerunConverges(stage, kvConfig, env);
    }, 120_000);

    it("DEBUG=1 adds the underlying error with its stack", async () => {
      const { stage, env } = await prepare("database");
      const scope = ownCreate("database", await planFor(kvConfig, env, stage));
      const withdraw = api.refuse({ ...scope, status: 403, code: 10000, message: "Authentication error" });
      try {
        const run = await deploy(stage, kvConfig, { ...env, DEBUG: "1" });
        expect(run.code).toBe(1);
        expect(run.output).toContain("Cloudflare refused the token");
        expect(run.output).toContain("Caused by: CloudflareApiError");
        expect(run.output).toMatch(/^\s+at /m);
      } finally {
        withdraw();
      }
    }, 120_000);
  });

  describe("transient faults", () => {
    // Retries are Alchemy's client's, the same code path for every step: a create and the upload.
    it.each((["database", "worker"] as const).map((step) => [step] as const))(
      "429 twice, then 503 twice at %s: retried with backoff by Alchemy's client, the deploy succeeds",
      async (step) => {
        const { stage, config, env } = await prepare(step);
        const scope = ownCreate(step, await planFor(config, env, stage));
        const mark = api.mark();
        const withdraw429 = api.refuse({
          ...scope,
          status: 429,
          code: 971,
          message: "Please wait and consider throttling your request speed",
          times: 2,
        });
        const withdraw503 = api.refuse({
          ...scope,
          status: 503,
          code: 10002,
          message: "Service unavailable",
          times: 2,
        });
        try {
          const run = await deploy(stage, config, env);
          expect(run.code, run.output).toBe(0);
          const tries = api.since(mark).filter(isOwn(scope));
          expect(tries.map((r) => r.status).slice(0, 5)).toEqual([429, 429, 503, 503, 200]);
        } finally {
          withdraw429();
          withdraw503();
        }
      },
      120_000,
    );
  });

  describe("a fault at a step", () => {
    it.each(labelled(faults.filter((f) => f.step !== "ses")))(
      caseName,
      (_label, fault) => faultCase(fault),
      120_000,
    );
  });

  describe("a name taken outside the stage", () => {
    it("is refused again on a re-run while the clash remains, never adopted", async () => {
      const { stage, config, env } = await prepare("database");
      const plan = await planFor(config, env, stage);
      const foreign = await api.d1.create({ name: plan.names.database });
      try {
        for (const attempt of [1, 2]) {
          const run = await deploy(stage, config, env);
          expect(run.code, `attempt ${attempt}: ${run.output}`).toBe(1);
          expect(run.output).toContain(`The name ${plan.names.database} is already used on the account`);
        }
        // The foreign database was not taken over: nothing of this stage points at it.
        expect(api.d1.list(plan.names.database).map((d) => d.uuid)).toEqual([foreign.uuid]);
      } finally {
        api.d1.delete(foreign.uuid);
      }
      await rerunConverges(stage, config, env);
    }, 120_000);
  });
});

// The SES stand-in's throttling is one switch for every request: these cases run one at a time.
describe("SES faults", () => {
  describe("a fault at a step", () => {
    it.each(labelled(faults.filter((f) => f.step === "ses")))(
      caseName,
      (_label, fault) => faultCase(fault),
      120_000,
    );
  });

  describe("transient faults", () => {
    it("SES throttling twice: the AWS SDK's own retries carry the deploy through", async () => {
      const { stage, env } = await prepare("ses");
      const mark = ses.mark();
      ses.throttled = 2;
      const run = await deploy(stage, sesConfig, env);
      expect(run.code, run.output).toBe(0);
      // Two throttled identity reads (the preflight's, as it comes first), retried by the SDK; the identity is made.
      const identityCalls = ses.since(mark).filter((r) => r.path.startsWith("/v2/email/identities"));
      // (The third answers 404, or 200 when an earlier case of this file already made the shared identity.)
      expect(identityCalls.slice(0, 3).map((r) => r.status === 429)).toEqual([true, true, false]);
      expect(ses.identities.has("example.com")).toBe(true);
    }, 120_000);
  });
});
