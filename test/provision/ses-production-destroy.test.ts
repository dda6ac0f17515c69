/** A production stage with SES keeps its verified sending identity through --destroy (like its database); --force removes it. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deploy, deployEnv, destroy, writeConfig } from "../deploy/deploy-support.ts";
import { CloudflareApiStandIn } from "../support/cloudflare-api/index.ts";
import { SesApiStandIn } from "../support/ses-api.ts";
import { uniqueStage } from "../support/stack.ts";

const prod = uniqueStage("sesprod");
const SES = {
  AWS_ACCESS_KEY_ID: "AKIASESPRODTEST0001",
  AWS_SECRET_ACCESS_KEY: "ses-prod/test+secret",
  AWS_SES_REGION: "eu-west-1",
  EMAIL_FROM: "noreply@prod-mail.example.com",
};
const IDENTITY = "prod-mail.example.com";
let cloudflare: CloudflareApiStandIn;
let ses: SesApiStandIn;
let config: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  cloudflare = await CloudflareApiStandIn.start();
  ses = await SesApiStandIn.start({
    accessKeyId: SES.AWS_ACCESS_KEY_ID,
    secretAccessKey: SES.AWS_SECRET_ACCESS_KEY,
    region: SES.AWS_SES_REGION,
  });
  config = await writeConfig("ses-prod.config.ts", {
    app: "ses-prod",
    email: "aws-ses",
    productionStages: [prod],
  });
  env = deployEnv(cloudflare, { ...SES, ...ses.env() });
  const run = await deploy(prod, config, env);
  expect(run.code, run.output).toBe(0);
  ses.verify(IDENTITY);
});

afterAll(async () => {
  if (cloudflare && ses) await destroy(prod, config, env, ["--force"]);
  await cloudflare?.close();
  await ses?.close();
});

const routes = (mark: number) => ses.since(mark).map((r) => `${r.method} ${r.path} ${r.status}`);

describe("a production stage's SES identity", () => {
  it("stays verified through --destroy, and the destroy says it kept it", async () => {
    const mark = ses.mark();
    const run = await destroy(prod, config, env);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`Stage ${prod} destroyed, except its data:`);
    expect(run.output).toMatch(new RegExp(`kept: SES identity ${IDENTITY.replace(/\./g, "\\.")} \\(state: `));
    expect(routes(mark).filter((r) => r.startsWith("DELETE"))).toEqual([]);
    expect(ses.identities.get(IDENTITY)?.verified).toBe(true);
    expect(run.output).not.toContain(SES.AWS_SECRET_ACCESS_KEY);
  });

  it("a later deploy carries on with it: no new identity, no DKIM records to publish again", async () => {
    const mark = ses.mark();
    const run = await deploy(prod, config, env);
    expect(run.code, run.output).toBe(0);
    expect(routes(mark).filter((r) => !r.startsWith("GET"))).toEqual([]);
    expect(run.output).toContain(`SES       ${IDENTITY} (eu-west-1): verified for sending`);
    expect(run.output).not.toContain("_domainkey");
  });

  it("--destroy --force deletes it with the rest", async () => {
    const mark = ses.mark();
    const run = await destroy(prod, config, env, ["--force"]);
    expect(run.code, run.output).toBe(0);
    expect(routes(mark)).toContain(`DELETE /v2/email/identities/${IDENTITY} 200`);
    expect(ses.identities.has(IDENTITY)).toBe(false);
  });
});
