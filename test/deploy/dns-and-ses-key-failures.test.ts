/**
 * Deploys that fail because Cloudflare's API host does not resolve, or because AWS refuses the SES
 * key: on a first deploy (the preflight stops it) and on a deployed stage (the preflight is skipped,
 * so the step itself fails). Each reads as one message with the cause, the fix and the stage's
 * state, exits 1 without a stack trace, and a re-run converges once the fault is gone. Every case
 * has its own Cloudflare and SES stand-ins, so they run side by side.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudflareApiStandIn } from "../support/cloudflare-api/index.ts";
import { SesApiStandIn } from "../support/ses-api.ts";
import { type RunResult, uniqueStage } from "../support/stack.ts";
import { deploy, deployEnv, destroy, writeConfig } from "./deploy-support.ts";

/** RFC 6761 reserves .invalid: no resolver answers it, so the lookup fails at once. */
const UNRESOLVABLE = "http://nonexistent.invalid/client/v4";
const SES = {
  AWS_ACCESS_KEY_ID: "AKIADNSSES000000001",
  AWS_SECRET_ACCESS_KEY: "dns-ses/test+secret",
  AWS_SES_REGION: "eu-west-1",
  EMAIL_FROM: "noreply@example.com",
};
const WRONG_KEY = "AKIAWRONGKEY0000001";

let kvConfig: string;
let sesConfig: string;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  kvConfig = await writeConfig("dns-ses-kv.config.ts", { app: "dnsses-kv", storage: true });
  sesConfig = await writeConfig("dns-ses-ses.config.ts", { app: "dnsses-ses", email: "aws-ses" });
});

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** A Cloudflare stand-in (and an SES one) for one case, destroyed with the stage afterwards. */
async function standIns(stage: string, config: string) {
  const api = await CloudflareApiStandIn.start();
  const ses = await SesApiStandIn.start({
    accessKeyId: SES.AWS_ACCESS_KEY_ID,
    secretAccessKey: SES.AWS_SECRET_ACCESS_KEY,
    region: SES.AWS_SES_REGION,
  });
  const env = config === sesConfig ? deployEnv(api, { ...SES, ...ses.env() }) : deployEnv(api);
  cleanups.push(async () => {
    await destroy(stage, config, env);
    await api.close();
    await ses.close();
  });
  return { api, ses, env };
}

function expectExplained(run: RunResult, says: string[], state: RegExp) {
  expect(run.code, run.output).toBe(1);
  for (const s of says) expect(run.output).toContain(s);
  expect(run.output).toMatch(state);
  expect(run.output).not.toMatch(/^\s+at /m);
}

async function converges(stage: string, config: string, env: NodeJS.ProcessEnv) {
  const again = await deploy(stage, config, env);
  expect(again.code, again.output).toBe(0);
  expect(again.output).not.toContain("Deploy of stage");
  const third = await deploy(stage, config, env);
  expect(third.code, third.output).toBe(0);
  expect(third.output).toContain("Unchanged");
}

describe.concurrent("Cloudflare's API host does not resolve", () => {
  it("on a first deploy: the preflight names the host and the fix, nothing is created; then converges", async () => {
    const stage = uniqueStage("dns");
    const { api, env } = await standIns(stage, kvConfig);
    const run = await deploy(stage, kvConfig, { ...env, CLOUDFLARE_BASE_URL: UNRESOLVABLE });
    expectExplained(
      run,
      [
        "✗ Cloudflare API reachable — Cloudflare's API host could not be resolved (ENOTFOUND at nonexistent.invalid).",
        "Check your DNS and network connection (and any proxy)",
      ],
      /Preflight failed\.\nNothing was provisioned\./,
    );
    expect(api.requests).toEqual([]);
    await converges(stage, kvConfig, env);
  }, 120_000);

  it("on a deployed stage (no preflight): the step, the cause, and what the stage holds; then converges", async () => {
    const stage = uniqueStage("dns");
    const { env } = await standIns(stage, kvConfig);
    const first = await deploy(stage, kvConfig, env);
    expect(first.code, first.output).toBe(0);
    // A changed var re-uploads the Worker; the stage is deployed whole and adds no step, so no preflight.
    const changed = { ...env, EMAIL_FROM: "hello@example.com" };
    const run = await deploy(stage, kvConfig, { ...changed, CLOUDFLARE_BASE_URL: UNRESOLVABLE });
    expect(run.output).not.toContain("Preflight");
    expectExplained(
      run,
      [
        `Deploy of stage "${stage}" failed at the Worker`,
        "Cloudflare's API host could not be resolved (ENOTFOUND at nonexistent.invalid).",
        "Check your DNS and network connection (and any proxy), then run the same command again.",
      ],
      /State: The D1 database \S+, the generated secrets, the KV namespace \S+ and the Worker \S+ exist; a re-run continues from here\./,
    );
    await converges(stage, kvConfig, changed);
  }, 120_000);
});

describe.concurrent("AWS refuses the SES key", () => {
  it("a key AWS does not know, on a first deploy: the preflight stops it before anything is created; then converges", async () => {
    const stage = uniqueStage("seskey");
    const { api, ses, env } = await standIns(stage, sesConfig);
    const run = await deploy(stage, sesConfig, { ...env, AWS_ACCESS_KEY_ID: WRONG_KEY });
    expectExplained(
      run,
      [
        "✗ credentials in region eu-west-1 — AWS did not accept AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (UnrecognizedClientException).",
        "Set a valid access key for the region in AWS_SES_REGION",
      ],
      /Preflight failed\.\nNothing was provisioned\./,
    );
    expect(api.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(ses.identities.size).toBe(0);
    await converges(stage, sesConfig, env);
    expect(ses.identities.has("example.com")).toBe(true);
  }, 120_000);

  it("a key AWS does not know, on a deployed stage (no preflight): the SES step fails with the cause and the state; then converges", async () => {
    const stage = uniqueStage("seskey");
    const { env } = await standIns(stage, sesConfig);
    const first = await deploy(stage, sesConfig, env);
    expect(first.code, first.output).toBe(0);
    const run = await deploy(stage, sesConfig, { ...env, AWS_ACCESS_KEY_ID: WRONG_KEY });
    expect(run.output).not.toContain("Preflight");
    expectExplained(
      run,
      [
        `Deploy of stage "${stage}" failed at the SES sending identity`,
        "AWS did not accept AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (UnrecognizedClientException).",
        "Set a valid access key for the region in AWS_SES_REGION",
      ],
      /State: The D1 database \S+, the generated secrets, the SES sending identity example\.com and the Worker \S+ exist; a re-run continues from here\./,
    );
    await converges(stage, sesConfig, env);
  }, 120_000);

  it("access denied (403 AccessDeniedException) to CreateEmailIdentity: the deploy finishes and says what SES refused; a re-run with the permission makes the identity", async () => {
    const stage = uniqueStage("sesdeny");
    const { ses, env } = await standIns(stage, sesConfig);
    ses.denied.add("CreateEmailIdentity");
    const run = await deploy(stage, sesConfig, env);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain("AWS refused ses:CreateEmailIdentity for this key");
    expect(
      ses.requests.some((r) => r.error === "AccessDeniedException"),
      run.output,
    ).toBe(true);
    expect(ses.identities.size).toBe(0);

    ses.denied.clear();
    await converges(stage, sesConfig, env);
    expect(ses.identities.has("example.com")).toBe(true);
  }, 120_000);
});
