/** SesIdentity inside a real Alchemy scope, against a loopback SES v2 double: what it sends on create, re-run and destroy. */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import alchemy from "alchemy";
import { FileSystemStateStore } from "alchemy/state";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SesIdentity, type SesIdentityProps } from "../../src/provision/ses-identity.ts";
import { SesApiStandIn } from "../support/ses-api.ts";

const APP = "ses-identity-test";
const CREDENTIALS = { accessKeyId: "AKIASESIDENTITYTEST1", secretAccessKey: "identity-test/secret+KEY" };
let api: SesApiStandIn;
let root: string;

beforeAll(async () => {
  api = await SesApiStandIn.start({ ...CREDENTIALS, region: "eu-west-1" });
  root = await mkdtemp(path.join(tmpdir(), "authform-ses-identity-"));
});
afterAll(async () => {
  await api?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

function props(extra: Partial<SesIdentityProps> = {}): SesIdentityProps {
  return { identity: "example.com", region: "eu-west-1", endpoint: api.url, ...CREDENTIALS, ...extra };
}

/** One run of a program that declares the identity (or, with no props, nothing: a destroy). */
async function run(stage: string, identityProps?: SesIdentityProps) {
  const app = await alchemy(APP, {
    stage,
    phase: "up",
    local: false,
    password: "ses-identity-test-password",
    noTrack: true,
    quiet: true,
    rootDir: root,
    stateStore: (scope) => new FileSystemStateStore(scope, { rootDir: root }),
  });
  const identity = identityProps ? await SesIdentity("ses-identity", identityProps) : undefined;
  await app.finalize();
  return identity;
}

const routes = (mark: number) =>
  api.since(mark).map((r) => `${r.method} ${r.path} ${r.status}${r.error ? ` ${r.error}` : ""}`);

async function stateFiles(stage: string): Promise<string[]> {
  const dir = path.join(root, APP, stage);
  const files = await readdir(dir).catch(() => []);
  return Promise.all(files.map((f) => readFile(path.join(dir, f), "utf8")));
}

describe("a domain identity", () => {
  const stage = "domain";

  it("is created when SES does not have it, and returns its status and the three DKIM CNAMEs", async () => {
    const mark = api.mark();
    const identity = await run(stage, props());
    expect(routes(mark)).toEqual([
      "GET /v2/email/identities/example.com 404 NotFoundException",
      "POST /v2/email/identities 200",
      "GET /v2/email/identities/example.com 200",
    ]);
    expect(api.since(mark)[1]?.body).toEqual({ EmailIdentity: "example.com" });
    const tokens = api.identities.get("example.com")?.tokens as string[];
    expect(tokens).toHaveLength(3);
    expect(identity).toMatchObject({
      identity: "example.com",
      identityType: "DOMAIN",
      verifiedForSending: false,
      verificationStatus: "PENDING",
      dkimStatus: "PENDING",
      created: true,
      dnsRecords: tokens.map((t) => ({
        type: "CNAME",
        name: `${t}._domainkey.example.com`,
        value: `${t}.dkim.amazonses.com`,
      })),
    });
  });

  it("keeps the credentials encrypted in state", async () => {
    const state = (await stateFiles(stage)).join("\n");
    expect(state).toContain("authform::SesIdentity");
    expect(state).not.toContain(CREDENTIALS.secretAccessKey);
    expect(state).not.toContain(CREDENTIALS.accessKeyId);
  });

  it("an unchanged re-run sends nothing to SES", async () => {
    const mark = api.mark();
    const identity = await run(stage, props());
    expect(routes(mark)).toEqual([]);
    expect(identity?.created).toBe(true);
  });

  it("a re-run with other props only reads, and reports the identity verified once SES has seen the records", async () => {
    api.verify("example.com");
    const mark = api.mark();
    const identity = await run(stage, props({ endpoint: `${api.url}/` }));
    expect(routes(mark)).toEqual(["GET /v2/email/identities/example.com 200"]);
    expect(identity).toMatchObject({
      verifiedForSending: true,
      verificationStatus: "SUCCESS",
      dkimStatus: "SUCCESS",
      created: true,
    });
  });

  it("refuses to change the identity in place, naming both values, and sends nothing", async () => {
    const mark = api.mark();
    await expect(run(stage, props({ identity: "other.example", endpoint: `${api.url}/` }))).rejects.toThrow(
      "Cannot change SesIdentity.identity from 'example.com' to 'other.example' after creation.",
    );
    expect(routes(mark)).toEqual([]);
    expect(api.identities.has("other.example")).toBe(false);
  });

  it("destroy deletes the identity it created, and leaves no state", async () => {
    const mark = api.mark();
    await run(stage);
    expect(routes(mark)).toEqual(["DELETE /v2/email/identities/example.com 200"]);
    expect(api.identities.has("example.com")).toBe(false);
    expect(await stateFiles(stage)).toEqual([]);
  });
});

describe("an address identity", () => {
  it("is created (no DNS records: SES mails the address a link) and deleted on destroy", async () => {
    const stage = "address";
    const mark = api.mark();
    const identity = await run(stage, props({ identity: "noreply@example.org" }));
    expect(routes(mark)).toEqual([
      "GET /v2/email/identities/noreply%40example.org 404 NotFoundException",
      "POST /v2/email/identities 200",
      "GET /v2/email/identities/noreply%40example.org 200",
    ]);
    expect(identity).toMatchObject({
      identityType: "EMAIL_ADDRESS",
      verificationStatus: "PENDING",
      dnsRecords: [],
    });

    const destroyed = api.mark();
    await run(stage);
    expect(routes(destroyed)).toEqual(["DELETE /v2/email/identities/noreply%40example.org 200"]);
  });
});

describe("an identity that already existed", () => {
  it("is adopted without a create, and destroy leaves it in SES", async () => {
    const stage = "adopted";
    api.identities.set("shared.example", {
      type: "DOMAIN",
      verified: true,
      tokens: ["a", "b", "c"],
      createdAt: 0,
    });
    const mark = api.mark();
    const identity = await run(stage, props({ identity: "shared.example" }));
    expect(routes(mark)).toEqual(["GET /v2/email/identities/shared.example 200"]);
    expect(identity).toMatchObject({
      created: false,
      verifiedForSending: true,
      dnsRecords: expect.any(Array),
    });

    const destroyed = api.mark();
    await run(stage);
    expect(routes(destroyed)).toEqual([]);
    expect(api.identities.has("shared.example")).toBe(true);
    expect(await stateFiles(stage)).toEqual([]);
  });
});

describe("destroy after the identity was deleted in SES", () => {
  it("treats NotFound as done", async () => {
    const stage = "gone";
    await run(stage, props({ identity: "gone.example" }));
    api.identities.delete("gone.example");
    const mark = api.mark();
    await run(stage);
    expect(routes(mark)).toEqual(["DELETE /v2/email/identities/gone.example 404 NotFoundException"]);
    expect(await stateFiles(stage)).toEqual([]);
  });
});

describe("a key that may only send", () => {
  it("is reported (deniedOperation) instead of failing the deploy, and destroy deletes nothing", async () => {
    api.denied.add("GetEmailIdentity");
    try {
      const mark = api.mark();
      const identity = await run("send-only", props({ identity: "sendonly.example" }));
      expect(routes(mark)).toEqual(["GET /v2/email/identities/sendonly.example 403 AccessDeniedException"]);
      expect(identity).toMatchObject({
        deniedOperation: "GetEmailIdentity",
        verificationStatus: "UNKNOWN",
        verifiedForSending: false,
        created: false,
        dnsRecords: [],
      });
      const destroyed = api.mark();
      await run("send-only");
      expect(routes(destroyed)).toEqual([]);
    } finally {
      api.denied.clear();
    }
  });

  it("one that may read but not create says the create was refused", async () => {
    api.denied.add("CreateEmailIdentity");
    try {
      const identity = await run("read-only", props({ identity: "readonly.example" }));
      expect(identity).toMatchObject({ deniedOperation: "CreateEmailIdentity", created: false });
      expect(api.identities.has("readonly.example")).toBe(false);
    } finally {
      api.denied.clear();
      await run("read-only");
    }
  });
});

describe("credentials SES does not accept", () => {
  it("fail the run with SES's error", async () => {
    await expect(
      run("refused", props({ identity: "refused.example", secretAccessKey: "not-the-secret" })),
    ).rejects.toThrow(/signature we calculated does not match/);
    expect(api.identities.has("refused.example")).toBe(false);
  });
});
