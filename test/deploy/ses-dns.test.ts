/** SES with runtime.domains.zone (both stand-ins): the DKIM CNAMEs are written into the zone, kept with the identity, removed with the stage. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dkimRecords } from "../../src/provision/ses-identity.ts";
import { CloudflareApiStandIn, mutating, routesOf } from "../support/cloudflare-api/index.ts";
import { SesApiStandIn } from "../support/ses-api.ts";
import { uniqueStage } from "../support/stack.ts";
import { deploy, deployEnv, destroy, destroyStages, writeConfig } from "./deploy-support.ts";

const prod = uniqueStage("sesdns");
const preview = uniqueStage("sesdnspr");
const outsideProd = uniqueStage("sesdnsout");
const SES = {
  AWS_ACCESS_KEY_ID: "AKIASESDNSTEST00001",
  AWS_SECRET_ACCESS_KEY: "ses-dns/test+secret",
  AWS_SES_REGION: "eu-west-1",
};
let cloudflare: CloudflareApiStandIn;
let ses: SesApiStandIn;
let config: string;
let outsideConfig: string;

beforeAll(async () => {
  cloudflare = await CloudflareApiStandIn.start({ zones: ["example.com", "example.org"] });
  ses = await SesApiStandIn.start({
    accessKeyId: SES.AWS_ACCESS_KEY_ID,
    secretAccessKey: SES.AWS_SECRET_ACCESS_KEY,
    region: SES.AWS_SES_REGION,
  });
  config = await writeConfig("ses-dns.config.ts", {
    app: "ses-dns",
    email: "aws-ses",
    productionStages: [prod],
    runtime: { domains: { api: "auth.example.com", zone: "example.com" } },
  });
  outsideConfig = await writeConfig("ses-dns-outside.config.ts", {
    app: "ses-dns-out",
    email: "aws-ses",
    productionStages: [outsideProd],
    runtime: { domains: { api: "auth.example.org", zone: "example.org" } },
  });
});

afterAll(async () => {
  if (cloudflare && ses) {
    await destroyStages([
      { stage: preview, config, env: previewEnv("noreply@example.com") },
      { stage: prod, config, env: envFor("noreply@example.com"), args: ["--force"] },
      { stage: outsideProd, config: outsideConfig, env: envFor("noreply@example.com"), args: ["--force"] },
    ]);
  }
  await cloudflare?.close();
  await ses?.close();
});

/** A deploy's environment with EMAIL_FROM; the URLs come from runtime.domains. */
function envFor(emailFrom: string): NodeJS.ProcessEnv {
  const env = deployEnv(cloudflare, { ...SES, EMAIL_FROM: emailFrom, ...ses.env() });
  delete env.BETTER_AUTH_URL;
  return env;
}

/** A preview stage serves on workers.dev: it needs the account's subdomain. */
function previewEnv(emailFrom: string): NodeJS.ProcessEnv {
  return { ...envFor(emailFrom), CLOUDFLARE_WORKERS_SUBDOMAIN: cloudflare.options.subdomain };
}

const zoneId = (name: string) => cloudflare.domains.zones.find((z) => z.name === name)?.id as string;
/** The zone's records as a person would see them in the dashboard. */
const zoneRecords = (name: string) =>
  cloudflare.dns
    .all(zoneId(name))
    .map((r) => ({ type: r.type, name: r.name, content: r.content, proxied: r.proxied }))
    .sort((a, b) => a.name.localeCompare(b.name));
/** The CNAMEs SES asks for, from the tokens the SES stand-in issued for the domain. */
const expectedRecords = (domain: string) =>
  dkimRecords(domain, ses.identities.get(domain)?.tokens ?? [])
    .map((r) => ({ type: r.type, name: r.name, content: r.value, proxied: false }))
    .sort((a, b) => a.name.localeCompare(b.name));
const dnsRequests = (mark: number) => cloudflare.since(mark).filter((r) => r.path.includes("/dns_records"));

describe("EMAIL_FROM in the configured zone", () => {
  it("the first deploy writes exactly the three DKIM CNAMEs into the zone, unproxied", async () => {
    const mark = cloudflare.mark();
    const run = await deploy(prod, config, envFor("noreply@mail.example.com"));
    expect(run.code, run.output).toBe(0);
    const expected = expectedRecords("mail.example.com");
    expect(expected).toHaveLength(3);
    expect(zoneRecords("example.com")).toEqual(expected);
    expect(routesOf(mutating(dnsRequests(mark)))).toEqual(
      Array(3).fill(`POST /zones/${zoneId("example.com")}/dns_records`),
    );
    expect(run.output).toContain(
      "SES       mail.example.com (eu-west-1): PENDING — DKIM records written to zone example.com (SES checks them for up to 72 h):",
    );
    expect(run.output).not.toContain("add these DNS records");
    for (const r of expected) expect(run.output).toContain(`${r.name}  CNAME  ${r.content}`);
  });

  it("an unchanged re-run sends no mutating request to Cloudflare", async () => {
    const before = zoneRecords("example.com");
    const mark = cloudflare.mark();
    const run = await deploy(prod, config, envFor("noreply@mail.example.com"));
    expect(run.code, run.output).toBe(0);
    expect(routesOf(mutating(cloudflare.since(mark)))).toEqual([]);
    expect(zoneRecords("example.com")).toEqual(before);
    expect(run.output).toContain("DKIM records written to zone example.com");
  });

  it("a preview sending from the same domain neither writes nor, on its destroy, deletes production's records", async () => {
    const before = zoneRecords("example.com");
    const mark = cloudflare.mark();
    const run = await deploy(preview, config, previewEnv("noreply@mail.example.com"));
    expect(run.code, run.output).toBe(0);
    const gone = await destroy(preview, config, previewEnv("noreply@mail.example.com"));
    expect(gone.code, gone.output).toBe(0);
    expect(dnsRequests(mark)).toEqual([]);
    expect(zoneRecords("example.com")).toEqual(before);
    expect(ses.identities.has("mail.example.com")).toBe(true);
  });

  it("a new EMAIL_FROM domain in the zone replaces the records with the new identity's", async () => {
    const old = cloudflare.dns.all(zoneId("example.com")).map((r) => r.id);
    const mark = cloudflare.mark();
    const run = await deploy(prod, config, envFor("auth@example.com"));
    expect(run.code, run.output).toBe(0);
    expect(zoneRecords("example.com")).toEqual(expectedRecords("example.com"));
    expect(expectedRecords("example.com")).toHaveLength(3);
    expect(routesOf(mutating(dnsRequests(mark))).sort()).toEqual(
      [
        ...Array(3).fill(`POST /zones/${zoneId("example.com")}/dns_records`),
        ...old.map((id) => `DELETE /zones/${zoneId("example.com")}/dns_records/${id}`),
      ].sort(),
    );
    expect(run.output).toContain(
      "SES       example.com (eu-west-1): PENDING — DKIM records written to zone example.com",
    );
  });

  it("--destroy of the production stage without --force keeps the records with the SES identity", async () => {
    const before = zoneRecords("example.com");
    const mark = cloudflare.mark();
    const run = await destroy(prod, config, envFor("auth@example.com"));
    expect(run.code, run.output).toBe(0);
    expect(dnsRequests(mark)).toEqual([]);
    expect(zoneRecords("example.com")).toEqual(before);
    expect([...ses.identities.keys()]).toEqual(["example.com"]);
    expect(run.output).toMatch(/kept: DNS records \(state: ses-dkim-example\.com-eu-west-1-example\.com\)/);
    expect(run.output).toMatch(/kept: SES identity example\.com/);
  });

  it("--destroy --force deletes the records with the identity", async () => {
    const ids = cloudflare.dns.all(zoneId("example.com")).map((r) => r.id);
    const mark = cloudflare.mark();
    const run = await destroy(prod, config, envFor("auth@example.com"), ["--force"]);
    expect(run.code, run.output).toBe(0);
    expect(routesOf(mutating(dnsRequests(mark))).sort()).toEqual(
      ids.map((id) => `DELETE /zones/${zoneId("example.com")}/dns_records/${id}`).sort(),
    );
    expect(zoneRecords("example.com")).toEqual([]);
    expect(ses.identities.has("example.com")).toBe(false);
  });
});

describe("EMAIL_FROM outside the configured zone", () => {
  it("writes no DNS record and prints the records to add", async () => {
    const mark = cloudflare.mark();
    const run = await deploy(outsideProd, outsideConfig, envFor("noreply@example.com"));
    expect(run.code, run.output).toBe(0);
    // The first deploy's preflight reads the domains zone's records (its DNS permission); nothing more.
    expect(mutating(dnsRequests(mark))).toEqual([]);
    expect(dnsRequests(mark).every((r) => r.path.startsWith(`/zones/${zoneId("example.org")}/`))).toBe(true);
    expect(cloudflare.dns.all()).toEqual([]);
    expect(run.output).toContain(
      "SES       example.com (eu-west-1): PENDING — add these DNS records (SES checks them for up to 72 h):",
    );
    const expected = expectedRecords("example.com");
    expect(expected).toHaveLength(3);
    for (const r of expected) expect(run.output).toContain(`${r.name}  CNAME  ${r.content}`);
  });
});
