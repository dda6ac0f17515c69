/** The local outbox: the program's loopback server, the files it writes, and the Worker's sender that posts to it. */
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { outboxDir, readOutbox } from "../../src/cli/outbox.ts";
import { MAX_OUTBOX_BODY_BYTES, type OutboxServer, startOutboxServer } from "../../src/cli/outbox-server.ts";
import { createOutboxSender } from "../../worker/email/outbox-sender.ts";
import { EmailDeliveryError, type EmailMessage } from "../../worker/email/types.ts";
import type { WorkerEnv } from "../../worker/env.ts";
import { freePort } from "../support/stack.ts";

const STAGE = "alice";
let root: string;
let outbox: OutboxServer;
let lines: string[];

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "authform-outbox-"));
  lines = [];
  outbox = await startOutboxServer({ root, stage: STAGE, log: (line) => lines.push(line) });
});

afterEach(async () => {
  await outbox?.close();
  await rm(root, { recursive: true, force: true });
});

const otp: EmailMessage = {
  kind: "otp",
  to: "ada@example.com",
  subject: "Your Acme sign-in code",
  text: "Your code: 123456",
  html: "<p>Your code: <b>123456</b></p>",
  secretPreview: "123456",
};

const link: EmailMessage = {
  kind: "magic-link",
  to: "ada@example.com",
  subject: "Sign in to Acme",
  text: "Sign in: http://localhost:1337/auth/v1/magic-link/verify?token=abc",
  html: "<a href='http://localhost:1337/auth/v1/magic-link/verify?token=abc'>Sign in</a>",
  secretPreview: "http://localhost:1337/auth/v1/magic-link/verify?token=abc",
};

function env(extra: Partial<WorkerEnv> = {}): WorkerEnv {
  return { AUTHFORM_MODE: "local", AUTHFORM_OUTBOX_URL: outbox.url, ...extra } as WorkerEnv;
}

/** A raw request, so tests control every header (fetch always adds some). */
function request(
  url: string,
  {
    method = "POST",
    headers = {},
    body = "",
  }: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const json = { "content-type": "application/json" };

describe("the outbox server", () => {
  it("listens on loopback only, at a random path", () => {
    expect(outbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/outbox\/[0-9a-f]{32}$/);
    expect(outbox.dir).toBe(outboxDir(root, STAGE));
  });

  it("stores each email as <seq>-<kind>.json and prints the code or link on one line", async () => {
    await createOutboxSender(env()).send(otp);
    await createOutboxSender(env()).send(link);
    expect(await readdir(outbox.dir)).toEqual(["0001-otp.json", "0002-magic-link.json"]);
    const [first, second] = await readOutbox(root, STAGE);
    expect(first).toMatchObject({ ...otp, seq: 1, sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(second).toMatchObject({ ...link, seq: 2 });
    expect(lines).toEqual([
      "✉  otp for ada@example.com: 123456",
      "✉  magic-link for ada@example.com: http://localhost:1337/auth/v1/magic-link/verify?token=abc",
    ]);
    // Codes and links are secrets: only the developer can read them.
    expect((await stat(path.join(outbox.dir, "0001-otp.json"))).mode & 0o077).toBe(0);
  });

  it("carries the numbering on when the program runs again", async () => {
    await createOutboxSender(env()).send(otp);
    await outbox.close();
    outbox = await startOutboxServer({ root, stage: STAGE, log: (line) => lines.push(line) });
    await createOutboxSender(env()).send(link);
    expect((await readOutbox(root, STAGE)).map((m) => path.basename(m.file))).toEqual([
      "0001-otp.json",
      "0002-magic-link.json",
    ]);
  });

  it("refuses what is not an email from the local Worker, and stores nothing", async () => {
    const { port } = new URL(outbox.url);
    const body = JSON.stringify(otp);
    const cases: [string, Parameters<typeof request>[1], number][] = [
      ["not JSON", { headers: { "content-type": "text/plain" }, body }, 415],
      ["malformed JSON", { headers: json, body: "{nope" }, 400],
      ["a JSON array", { headers: json, body: "[]" }, 400],
      ["a missing field", { headers: json, body: JSON.stringify({ ...otp, html: undefined }) }, 400],
      ["a bad kind", { headers: json, body: JSON.stringify({ ...otp, kind: "../../etc" }) }, 400],
      ["a bad address", { headers: json, body: JSON.stringify({ ...otp, to: "ada\nexample.com" }) }, 400],
      [
        "an oversized body",
        { headers: json, body: JSON.stringify({ ...otp, html: "x".repeat(MAX_OUTBOX_BODY_BYTES) }) },
        413,
      ],
      ["a browser (Origin header)", { headers: { ...json, origin: "https://evil.example" }, body }, 403],
      ["another Host (DNS rebinding)", { headers: { ...json, host: `evil.example:${port}` }, body }, 403],
      ["a GET", { method: "GET" }, 405],
    ];
    for (const [name, init, status] of cases) {
      const res = await request(outbox.url, init);
      expect(res.status, name).toBe(status);
      expect(JSON.parse(res.body), name).toMatchObject({
        error: expect.any(String),
        message: expect.any(String),
      });
    }
    const wrongPath = await request(outbox.url.replace(/[0-9a-f]{32}$/, "0".repeat(32)), {
      headers: json,
      body,
    });
    expect(wrongPath.status).toBe(404);
    expect(await readOutbox(root, STAGE)).toEqual([]);
    expect(lines).toEqual([]);
  });

  it("refuses mail to the reserved .invalid domain, like a mail server would", async () => {
    const send = createOutboxSender(env()).send({ ...otp, to: "bounce@example.invalid" });
    await expect(send).rejects.toBeInstanceOf(EmailDeliveryError);
    await expect(send).rejects.toThrow(
      "The local outbox refused the email (HTTP 422): Addresses at .invalid cannot receive email (the domain is reserved by RFC 2606).",
    );
    expect(await readOutbox(root, STAGE)).toEqual([]);
  });

  it("keeps terminal control characters out of the printed line", async () => {
    await createOutboxSender(env()).send({ ...otp, secretPreview: "12\u001b[2J3456" });
    expect(lines[0]).toBe("✉  otp for ada@example.com: 12�[2J3456");
  });
});

describe("the Worker's outbox sender", () => {
  it("fails with a clear EmailDeliveryError when the outbox is gone (closed port)", async () => {
    const closed = `http://127.0.0.1:${await freePort()}/outbox/x`;
    const send = createOutboxSender(env({ AUTHFORM_OUTBOX_URL: closed })).send(otp);
    await expect(send).rejects.toBeInstanceOf(EmailDeliveryError);
    await expect(send).rejects.toThrow(
      /^Could not reach the local outbox at http:\/\/127\.0\.0\.1:\d+ \(connection failed\)/,
    );
  });

  it("fails when AUTHFORM_OUTBOX_URL is unset, and is never used in deploy mode", async () => {
    await expect(createOutboxSender(env({ AUTHFORM_OUTBOX_URL: undefined })).send(otp)).rejects.toThrow(
      /AUTHFORM_OUTBOX_URL is not set/,
    );
    await expect(createOutboxSender(env({ AUTHFORM_MODE: "deploy" })).send(otp)).rejects.toThrow(
      /only exists in local mode/,
    );
    expect(await readOutbox(root, STAGE)).toEqual([]);
  });
});
