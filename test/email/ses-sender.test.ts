/** The SES sender over real HTTP to a loopback recorder: the request SES gets, its signature, and each failure. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSesSender, missingSesVars, sesOrigin } from "../../worker/email/ses/sender.ts";
import { EmailDeliveryError, type EmailMessage } from "../../worker/email/types.ts";
import type { WorkerEnv } from "../../worker/env.ts";
import { startSesEmulator } from "../support/ses-emulator.ts";
import {
  headerOf,
  recomputeAuthorization,
  type SesRecorder,
  type SesReply,
  startSesRecorder,
} from "../support/ses-recorder.ts";

const CREDENTIALS = {
  accessKeyId: "AKIASENDERTEST0001",
  secretAccessKey: "sender/test+secret/KEY0000000000000000000",
};
const message: EmailMessage = {
  kind: "otp",
  to: "ada@example.com",
  subject: "Your sign-in code",
  text: "Your code is 123456",
  html: "<p>Your code is <b>123456</b></p>",
  secretPreview: "123456",
};

let recorder: SesRecorder;
let reply: SesReply | undefined;

beforeAll(async () => {
  recorder = await startSesRecorder({ reply: () => reply ?? { status: 200, body: '{"MessageId":"m-1"}' } });
});
afterAll(() => recorder?.close());
afterEach(() => {
  recorder.requests.length = 0;
  reply = undefined;
});

function env(extra: Partial<WorkerEnv> = {}): WorkerEnv {
  return {
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_SES_REGION: "eu-west-1",
    AWS_SES_ENDPOINT: recorder.url,
    EMAIL_FROM: "noreply@example.com",
    EMAIL_FROM_NAME: "Your App | Account Services",
    ...extra,
  } as WorkerEnv;
}

async function sendOne(e: WorkerEnv = env()) {
  await createSesSender(e).send(message);
  expect(recorder.requests).toHaveLength(1);
  const [request] = recorder.requests;
  return { request: request as (typeof recorder.requests)[number], body: JSON.parse(request?.body ?? "{}") };
}

describe("createSesSender", () => {
  it("POSTs SES v2 SendEmail with the display name, reply-to defaulting to EMAIL_FROM, subject, text and HTML", async () => {
    const { request, body } = await sendOne();
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/v2/email/outbound-emails");
    expect(headerOf(request, "content-type")).toBe("application/json");
    expect(body).toEqual({
      FromEmailAddress: '"Your App | Account Services" <noreply@example.com>',
      Destination: { ToAddresses: ["ada@example.com"] },
      ReplyToAddresses: ["noreply@example.com"],
      Content: {
        Simple: {
          Subject: { Data: "Your sign-in code", Charset: "UTF-8" },
          Body: {
            Text: { Data: "Your code is 123456", Charset: "UTF-8" },
            Html: { Data: "<p>Your code is <b>123456</b></p>", Charset: "UTF-8" },
          },
        },
      },
    });
  });

  it("signs the request so an independent signer (aws4fetch) computes the same Authorization", async () => {
    const { request } = await sendOne();
    const authorization = headerOf(request, "authorization") as string;
    const date = (headerOf(request, "x-amz-date") as string).slice(0, 8);
    expect(authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/${date}/eu-west-1/ses/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$`,
      ),
    );
    expect(await recomputeAuthorization(request, { ...CREDENTIALS, region: "eu-west-1" })).toBe(
      authorization,
    );
    // A wrong secret gives another signature: the check above can fail.
    expect(
      await recomputeAuthorization(request, {
        ...CREDENTIALS,
        secretAccessKey: "wrong",
        region: "eu-west-1",
      }),
    ).not.toBe(authorization);
  });

  it("uses EMAIL_REPLY_TO when set, and sends no display name when EMAIL_FROM_NAME is unset", async () => {
    const { body } = await sendOne(env({ EMAIL_REPLY_TO: "help@example.com", EMAIL_FROM_NAME: undefined }));
    expect(body.FromEmailAddress).toBe("noreply@example.com");
    expect(body.ReplyToAddresses).toEqual(["help@example.com"]);
  });

  it("escapes quotes in an ASCII display name and MIME-encodes a non-ASCII one", async () => {
    expect((await sendOne(env({ EMAIL_FROM_NAME: 'Ada "the" \\ App' }))).body.FromEmailAddress).toBe(
      '"Ada \\"the\\" \\\\ App" <noreply@example.com>',
    );
    recorder.requests.length = 0;
    const name = "Zoë · Ünïcode Äpp — Konto-Service für Anmeldungen 🔐";
    const from = (await sendOne(env({ EMAIL_FROM_NAME: name }))).body.FromEmailAddress as string;
    const words = from.replace(/ <noreply@example\.com>$/, "").split(" ");
    expect(words.length).toBeGreaterThan(1);
    for (const word of words) {
      expect(word).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
      expect(word.length).toBeLessThanOrEqual(75);
    }
    const decoded = words.map((w) => Buffer.from(w.slice(10, -2), "base64").toString("utf8")).join("");
    expect(decoded).toBe(name);
  });

  it("drops line breaks from the display name, so it cannot add a header", async () => {
    const { body } = await sendOne(env({ EMAIL_FROM_NAME: "App\r\nBcc: victim@example.com" }));
    expect(body.FromEmailAddress).toBe('"AppBcc: victim@example.com" <noreply@example.com>');
  });

  it("turns a SES error into EmailDeliveryError with SES's code and message, and no credential", async () => {
    reply = {
      status: 400,
      headers: {
        "content-type": "application/json",
        "x-amzn-ErrorType": "MessageRejected:http://internal.amazon.com/coral/com.amazonaws.sesv2/",
      },
      body: JSON.stringify({
        message: `Email address is not verified. Credential=${CREDENTIALS.accessKeyId} key ${CREDENTIALS.secretAccessKey}`,
      }),
    };
    const error = await createSesSender(env())
      .send(message)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailDeliveryError);
    const text = (error as Error).message;
    expect(text).toContain("HTTP 400 MessageRejected");
    expect(text).toContain("Email address is not verified.");
    expect(text).not.toContain(CREDENTIALS.accessKeyId);
    expect(text).not.toContain(CREDENTIALS.secretAccessKey);
  });

  it("reads the error code from the body when there is no error-type header", async () => {
    reply = {
      status: 403,
      body: JSON.stringify({ __type: "com.amazonaws#AccessDeniedException", Message: "no" }),
    };
    await expect(createSesSender(env()).send(message)).rejects.toThrow(
      "SES refused the email (HTTP 403 AccessDeniedException): no",
    );
    reply = { status: 502, body: "<html>bad gateway</html>" };
    await expect(createSesSender(env()).send(message)).rejects.toThrow("SES refused the email (HTTP 502).");
  });

  it("names every missing var and sends nothing", async () => {
    const bare = { AWS_SES_ENDPOINT: recorder.url, AWS_SES_REGION: " " } as WorkerEnv;
    expect(missingSesVars(bare)).toEqual([
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SES_REGION",
      "EMAIL_FROM",
    ]);
    expect(missingSesVars(env())).toEqual([]);
    await expect(createSesSender(bare).send(message)).rejects.toThrow(
      new EmailDeliveryError(
        "SES is not configured: set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SES_REGION, EMAIL_FROM.",
      ),
    );
    expect(recorder.requests).toEqual([]);
  });

  it("reports an unreachable SES as EmailDeliveryError", async () => {
    const closed = await startSesRecorder();
    await closed.close();
    const error = await createSesSender(env({ AWS_SES_ENDPOINT: closed.url }))
      .send(message)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailDeliveryError);
    expect((error as Error).message).toContain(`Could not reach SES at ${closed.url}`);
  });

  it("goes to the region's public endpoint unless AWS_SES_ENDPOINT is set", () => {
    expect(sesOrigin({ AWS_SES_REGION: "us-east-2" } as WorkerEnv)).toBe(
      "https://email.us-east-2.amazonaws.com",
    );
    expect(sesOrigin(env({ AWS_SES_ENDPOINT: "http://127.0.0.1:8005/" }))).toBe("http://127.0.0.1:8005");
  });

  it("is accepted by the SES v2 emulator, which stores the message as sent", async () => {
    const emulator = await startSesEmulator();
    try {
      await createSesSender(env({ AWS_SES_ENDPOINT: emulator.url, EMAIL_REPLY_TO: "help@example.com" })).send(
        message,
      );
      const emails = await emulator.emails();
      expect(emails).toHaveLength(1);
      expect(emails[0]).toMatchObject({
        from: '"Your App | Account Services" <noreply@example.com>',
        replyTo: ["help@example.com"],
        destination: { to: ["ada@example.com"] },
        subject: "Your sign-in code",
        body: { text: "Your code is 123456", html: "<p>Your code is <b>123456</b></p>" },
      });
    } finally {
      await emulator.close();
    }
  });
});
