/** The real program deploying with email.provider 'aws-ses': the stage's SES identity is verified, kept, and removed with the stage. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeSesIdentity, sesIdentityFor } from "../../src/provision/ses-setup.ts";
import { deploy, deployEnv, destroy, writeConfig } from "../deploy/deploy-support.ts";
import { CloudflareApiStandIn } from "../support/cloudflare-api/index.ts";
import { SesApiStandIn } from "../support/ses-api.ts";
import { uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("sesdeploy");
const SES = {
  AWS_ACCESS_KEY_ID: "AKIASESDEPLOYTEST01",
  AWS_SECRET_ACCESS_KEY: "ses-deploy/test+secret",
  AWS_SES_REGION: "eu-west-1",
  EMAIL_FROM: "noreply@Mail.Example.com",
};
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
  config = await writeConfig("ses-deploy.config.ts", { app: "ses-deploy", email: "aws-ses" });
  env = deployEnv(cloudflare, { ...SES, ...ses.env() });
});

afterAll(async () => {
  if (cloudflare && ses) await destroy(stage, config, env);
  await cloudflare?.close();
  await ses?.close();
});

const routes = (mark: number) => ses.since(mark).map((r) => `${r.method} ${r.path} ${r.status}`);

describe("deploying with SES", () => {
  it("creates the domain identity of EMAIL_FROM and prints the DKIM records to add", async () => {
    const mark = ses.mark();
    const run = await deploy(stage, config, env);
    expect(run.code, run.output).toBe(0);
    expect(routes(mark)).toEqual([
      // The first deploy's preflight (src/provision/preflight/ses-preflight.ts): reads only.
      "GET /v2/email/account 200",
      "GET /v2/email/identities/mail.example.com 404",
      "GET /v2/email/identities/mail.example.com 404",
      "POST /v2/email/identities 200",
      "GET /v2/email/identities/mail.example.com 200",
    ]);
    const tokens = ses.identities.get("mail.example.com")?.tokens ?? [];
    expect(tokens).toHaveLength(3);
    expect(run.output).toContain(
      "SES       mail.example.com (eu-west-1): PENDING — add these DNS records (SES checks them for up to 72 h):",
    );
    for (const t of tokens) {
      expect(run.output).toContain(`${t}._domainkey.mail.example.com  CNAME  ${t}.dkim.amazonses.com`);
    }
    expect(run.output).not.toContain(SES.AWS_SECRET_ACCESS_KEY);
  });

  it("an unchanged re-run only reads the status while the identity is pending", async () => {
    const mark = ses.mark();
    const run = await deploy(stage, config, env);
    expect(run.code, run.output).toBe(0);
    expect(routes(mark)).toEqual(["GET /v2/email/identities/mail.example.com 200"]);
    expect(run.output).not.toMatch(/Changed:.*ses-identity/);
    expect(run.output).toContain("SES       mail.example.com (eu-west-1): PENDING");
  });

  it("says so once SES has seen the DNS records (still only reading)", async () => {
    ses.verify("mail.example.com");
    const mark = ses.mark();
    const run = await deploy(stage, config, env);
    expect(run.code, run.output).toBe(0);
    expect(routes(mark)).toEqual(["GET /v2/email/identities/mail.example.com 200"]);
    expect(run.output).toContain("SES       mail.example.com (eu-west-1): verified for sending");
    expect(run.output).not.toContain("_domainkey");
  });

  it("a new EMAIL_FROM domain verifies the new identity and deletes the old one", async () => {
    env = deployEnv(cloudflare, { ...SES, EMAIL_FROM: "auth@other.example", ...ses.env() });
    const mark = ses.mark();
    const run = await deploy(stage, config, env);
    expect(run.code, run.output).toBe(0);
    expect(routes(mark)).toEqual([
      "GET /v2/email/identities/other.example 404",
      "POST /v2/email/identities 200",
      "GET /v2/email/identities/other.example 200",
      "DELETE /v2/email/identities/mail.example.com 200",
    ]);
    expect([...ses.identities.keys()]).toEqual(["other.example"]);
    expect(run.output).toContain("SES       other.example (eu-west-1): PENDING");
  });

  it("--destroy deletes the identity the stage created", async () => {
    const mark = ses.mark();
    const run = await destroy(stage, config, env);
    expect(run.code, run.output).toBe(0);
    expect(routes(mark)).toEqual(["DELETE /v2/email/identities/other.example 200"]);
    expect(ses.identities.size).toBe(0);
  });
});

describe("what the person is told", () => {
  it("names the domain of EMAIL_FROM, and says when the identity is verified or an address waits for its link", () => {
    expect(sesIdentityFor("NoReply@Example.COM")).toBe("example.com");
    const base = { identity: "a@example.com", region: "us-east-1", dnsRecords: [], created: true };
    expect(
      describeSesIdentity({
        ...base,
        identityType: "EMAIL_ADDRESS",
        verifiedForSending: false,
        verificationStatus: "PENDING",
      }),
    ).toEqual(["SES       a@example.com (us-east-1): PENDING — open the link SES mailed to a@example.com"]);
    expect(
      describeSesIdentity({
        ...base,
        identityType: "EMAIL_ADDRESS",
        verifiedForSending: true,
        verificationStatus: "SUCCESS",
      }),
    ).toEqual(["SES       a@example.com (us-east-1): verified for sending"]);
    expect(
      describeSesIdentity({
        ...base,
        identityType: "EMAIL_ADDRESS",
        verifiedForSending: false,
        verificationStatus: "UNKNOWN",
        deniedOperation: "GetEmailIdentity",
      }),
    ).toEqual([
      "SES       a@example.com (us-east-1): not checked — AWS refused ses:GetEmailIdentity for this key.",
      "            Verify a@example.com in the SES console, or allow the key ses:GetEmailIdentity, ses:CreateEmailIdentity and ses:DeleteEmailIdentity.",
    ]);
  });
});
