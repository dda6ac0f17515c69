/**
 * `--plan` against the deployed stage: it names each change a run would make, prints no secret, and
 * sends nothing but one read-only D1 query (counting password users) when passwords would go.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudflareApiStandIn } from "../support/cloudflare-api/index.ts";
import { uniqueStage } from "../support/stack.ts";
import { type ConfigShape, deploy, deployEnv, destroy, writeConfig } from "./deploy-support.ts";

const APP = "deploy-plan-diff";
const stage = uniqueStage("pdiff");
const SECRET = `first-secret-${stage}-0123456789abcdef`;
const ROTATED = `rotated-secret-${stage}-fedcba9876543210`;
const base: ConfigShape = { app: APP, vars: { APP_NAME: "Plan Diff", EMAIL_FROM_NAME: "Team" } };
let api: CloudflareApiStandIn;
let config: string;

beforeAll(async () => {
  api = await CloudflareApiStandIn.start();
  config = await writeConfig("plan-diff-0.config.ts", base);
  const first = await deploy(stage, config, deployEnv(api, { BETTER_AUTH_SECRET: SECRET }));
  expect(first.code, first.output).toBe(0);
});

afterAll(async () => {
  if (api) await destroy(stage, config, deployEnv(api, { BETTER_AUTH_SECRET: SECRET }));
  await api?.close();
});

async function plan(file: string, shape: ConfigShape, secret: string, extraEnv: Record<string, string> = {}) {
  const planConfig = await writeConfig(file, shape);
  const mark = api.mark();
  const env = deployEnv(api, { BETTER_AUTH_SECRET: secret, ...extraEnv });
  const run = await deploy(stage, planConfig, env, ["--plan"]);
  expect(run.code, run.output).toBe(0);
  // --plan reads state only: not one request, read or write, reaches Cloudflare.
  expect(api.since(mark)).toEqual([]);
  // The Changes section, up to the note on the preflight --plan does not run.
  const changes = run.output.slice(run.output.indexOf("\nChanges"));
  expect(changes).toContain("\n\nPreflight\n  Not run by --plan");
  return changes.slice(0, changes.indexOf("\n\nPreflight\n"));
}

describe("--plan on a deployed stage", () => {
  it("says nothing would change when the config and env are the same", async () => {
    const changes = await plan("plan-diff-same.config.ts", base, SECRET);
    expect(changes).toContain(`None: stage ${stage} already runs this config.`);
  });

  it("lists an added and a changed var, a new plugin, a rotated secret and the re-upload", async () => {
    const vars = { APP_NAME: "Plan Diff 2", EMAIL_FROM_NAME: "Team", EMAIL_FROM: "auth@example.com" };
    const changes = await plan(
      "plan-diff-changed.config.ts",
      { app: APP, vars, plugins: ["magicLink"] },
      ROTATED,
    );
    expect(changes).toContain("~ var      APP_NAME: Plan Diff → Plan Diff 2");
    expect(changes).toContain("+ var      EMAIL_FROM = auth@example.com");
    expect(changes).toContain("+ plugin   magicLink");
    expect(changes).toContain("~ secret   BETTER_AUTH_SECRET  new value (rotated); values never shown");
    expect(changes).toContain("~ code     re-uploaded");
    expect(changes).not.toContain(SECRET);
    expect(changes).not.toContain(ROTATED);
  });

  it("lists a removed var and nothing else", async () => {
    const changes = await plan(
      "plan-diff-removed.config.ts",
      { app: APP, vars: { APP_NAME: "Plan Diff" } },
      SECRET,
    );
    expect(changes.trim().split("\n").slice(1)).toEqual(["  - var      EMAIL_FROM_NAME (was Team)"]);
  });

  it("shows a switch to SES: the send_email binding goes, the AWS secrets come, their values unprinted", async () => {
    const aws = { AWS_ACCESS_KEY_ID: "AKIDPLANDIFF", AWS_SECRET_ACCESS_KEY: `aws-secret-${stage}` };
    const changes = await plan(
      "plan-diff-ses.config.ts",
      {
        ...base,
        vars: { ...base.vars, AWS_SES_REGION: "eu-west-1", EMAIL_FROM: "a@example.com" },
        email: "aws-ses",
      },
      SECRET,
      aws,
    );
    expect(changes).toContain("- binding  EMAIL (was send_email)");
    expect(changes).toContain("+ secret   AWS_ACCESS_KEY_ID  new; values never shown");
    expect(changes).toContain("+ secret   AWS_SECRET_ACCESS_KEY  new; values never shown");
    expect(changes).not.toContain(aws.AWS_SECRET_ACCESS_KEY);
    expect(changes).not.toContain(aws.AWS_ACCESS_KEY_ID);
  });

  it("counts password users through D1's query API when passwords would go, and a run stops before any write", async () => {
    const db = `${APP}-${stage}-db`;
    await api.d1.rows(db, "INSERT INTO user (id, name, email) VALUES ('pw-user', 'Pw', 'pw@example.com')");
    await api.d1.rows(
      db,
      "INSERT INTO account (id, accountId, providerId, userId, password, updatedAt) VALUES ('pw-acc', 'pw-user', 'credential', 'pw-user', 'hash', 0)",
    );
    // The seed's magic-link example: it never mentions passwords.
    const silent = await writeConfig("plan-diff-silent.config.ts", {
      ...base,
      emailAndPassword: "unstated",
      plugins: ["magicLink"],
    });
    const env = deployEnv(api, { BETTER_AUTH_SECRET: SECRET });
    const onlyTheCount = (mark: number) =>
      expect(api.since(mark).map((r) => `${r.method} ${r.path.replace(/^\/accounts\/[^/]+/, "")}`)).toEqual([
        expect.stringMatching(/^POST \/d1\/database\/[0-9a-f-]+\/query$/),
      ]);

    let mark = api.mark();
    const planned = await deploy(stage, silent, env, ["--plan"]);
    expect(planned.code, planned.output).toBe(0);
    expect(planned.output).toContain(
      "  - sign-in  emailAndPassword: 1 user with a password and no other way in (of 1 with a password)",
    );
    onlyTheCount(mark);

    mark = api.mark();
    const stopped = await deploy(stage, silent, env);
    expect(stopped.code, stopped.output).toBe(1);
    expect(stopped.output).toContain("1 user with a password and no other way in");
    expect(stopped.output).toContain("--allow-sign-in-removal");
    onlyTheCount(mark);
  });

  it("says a stage that was never deployed would be created", async () => {
    const other = uniqueStage("pdnew");
    const run = await deploy(other, config, deployEnv(api, { BETTER_AUTH_SECRET: SECRET }), ["--plan"]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`First deploy of stage ${other}: everything above will be created.`);
  });
});
