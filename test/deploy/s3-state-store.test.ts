/**
 * AUTHFORM_STATE_STORE=s3: a deploy keeps its state in the bucket (not on this disk), so a run on
 * another machine sees the stage, changes nothing and --destroy finds what to delete.
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stateDir } from "../../src/provision/local-files.ts";
import { CloudflareApiStandIn, mutating } from "../support/cloudflare-api/index.ts";
import { S3ApiStandIn } from "../support/s3-api.ts";
import { ROOT, uniqueStage } from "../support/stack.ts";
import { deploy, deployEnv, destroy, writeConfig } from "./deploy-support.ts";

const APP = "deploy-s3-state";
const BUCKET = "authform-state";
const PREFIX = "team/";
const stage = uniqueStage("s3");
let api: CloudflareApiStandIn;
let s3: S3ApiStandIn;
let config: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  api = await CloudflareApiStandIn.start();
  s3 = await S3ApiStandIn.start([BUCKET]);
  config = await writeConfig("s3-state.config.ts", { app: APP, vars: { APP_NAME: "S3 State" } });
  env = deployEnv(api, {
    ...s3.env(),
    CI: "true",
    AUTHFORM_STATE_STORE: "s3",
    AUTHFORM_STATE_BUCKET: BUCKET,
    AUTHFORM_STATE_REGION: "us-east-1",
    AUTHFORM_STATE_PREFIX: PREFIX,
  });
});

afterAll(async () => {
  await api?.close();
  await s3?.close();
});

const stageKeys = () => s3.keys(BUCKET, `${PREFIX}${APP}/${stage}/`);

describe("the S3 state store", () => {
  it("keeps a first deploy's state in the bucket, encrypted, and nothing on this disk", async () => {
    const first = await deploy(stage, config, env);
    expect(first.code, first.output).toBe(0);
    const keys = stageKeys();
    expect(keys.some((k) => k.endsWith("/worker"))).toBe(true);
    expect(keys.some((k) => k.endsWith("/database"))).toBe(true);
    expect(existsSync(stateDir(ROOT, APP, stage))).toBe(false);
    const secretState = keys.find((k) => k.endsWith("/secret-better_auth_secret")) ?? "";
    expect(s3.text(BUCKET, secretState)).toContain('"@secret"');
  });

  it("a re-run from another machine reads the bucket and sends Cloudflare no change", async () => {
    const mark = api.mark();
    const again = await deploy(stage, config, env);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain("Unchanged: the stage already matches the config");
    expect(mutating(api.since(mark))).toEqual([]);
  });

  it("--plan reads the bucket: no change", async () => {
    const planned = await deploy(stage, config, env, ["--plan"]);
    expect(planned.code, planned.output).toBe(0);
    expect(planned.output).toContain(`None: stage ${stage} already runs this config.`);
  });

  it("--destroy deletes the stage's resources and empties its prefix", async () => {
    const gone = await destroy(stage, config, env);
    expect(gone.code, gone.output).toBe(0);
    expect(stageKeys()).toEqual([]);
    expect(api.workers.names()).toEqual([]);
  });

  it("a bucket that does not exist stops the run with S3's answer, before anything is created", async () => {
    const other = uniqueStage("s3nob");
    const mark = api.mark();
    const run = await deploy(other, config, { ...env, AUTHFORM_STATE_BUCKET: "no-such-bucket" });
    expect(run.code).not.toBe(0);
    expect(run.output).toContain("no-such-bucket");
    expect(mutating(api.since(mark))).toEqual([]);
  });
});
