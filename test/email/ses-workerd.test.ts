/** The SES sender inside workerd (Miniflare), without nodejs_compat: Web Crypto and fetch only, signed as AWS expects. */
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleWorker, SES_SENDER_WORKER } from "../support/ses-bundle.ts";
import {
  headerOf,
  recomputeAuthorization,
  type SesRecorder,
  startSesRecorder,
} from "../support/ses-recorder.ts";

const CREDENTIALS = { accessKeyId: "AKIASESWORKERDTEST01", secretAccessKey: "workerd/test+secret" };
let recorder: SesRecorder;
let mf: Miniflare;

beforeAll(async () => {
  recorder = await startSesRecorder();
  const { text } = await bundleWorker(SES_SENDER_WORKER);
  mf = new Miniflare({
    modules: true,
    script: text,
    compatibilityDate: "2025-01-01",
    bindings: {
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_SES_REGION: "us-east-2",
      AWS_SES_ENDPOINT: recorder.url,
      EMAIL_FROM: "noreply@example.com",
      EMAIL_FROM_NAME: "Zoë's App",
    },
  });
});

afterAll(async () => {
  await mf?.dispose();
  await recorder?.close();
});

describe("createSesSender on workerd", () => {
  it("sends a SendEmail request whose signature an independent signer reproduces", async () => {
    const res = await mf.dispatchFetch("http://worker.local/");
    expect(await res.text()).toBe("sent");
    expect(recorder.requests).toHaveLength(1);
    const [request] = recorder.requests;
    if (!request) throw new Error("no request recorded");
    expect(request.path).toBe("/v2/email/outbound-emails");
    expect(JSON.parse(request.body)).toMatchObject({
      FromEmailAddress: "=?UTF-8?B?Wm/DqydzIEFwcA==?= <noreply@example.com>",
      Destination: { ToAddresses: ["ada@example.com"] },
      ReplyToAddresses: ["noreply@example.com"],
    });
    const authorization = headerOf(request, "authorization") as string;
    expect(authorization).toContain(`Credential=${CREDENTIALS.accessKeyId}/`);
    expect(authorization).toContain("/us-east-2/ses/aws4_request");
    expect(await recomputeAuthorization(request, { ...CREDENTIALS, region: "us-east-2" })).toBe(
      authorization,
    );
  });
});
