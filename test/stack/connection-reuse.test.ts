/**
 * Early answers to unread bodies, then ordinary requests, on one local stack: every answer is the
 * Worker's own. (Before worker/middleware/drain-body.ts, workerd closed the proxy's pooled connection
 * after an unread body and a later request got Alchemy's 500 "ECONNRESET", or the early answer
 * reached the client as an empty 200.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const CONFIG = ["--config", "test/fixtures/connection-reuse.config.ts"];
const ROUNDS = 60;
const CONCURRENCY = 4;
/** Past the 64 KiB workerd discards by itself, and past the Worker's JSON limit. */
const BIG = 200 * 1024;
const stage = uniqueStage("connreuse");
let stack: RunningStack;

let ipCounter = 0;
/** Each request from its own address: this is about connections, not the rate limiter. */
const nextIp = () => `10.77.${(ipCounter >> 8) & 0xff}.${ipCounter++ & 0xff}`;

interface Step {
  name: string;
  path: string;
  init: () => RequestInit;
  status: number;
  /** What the JSON body must hold. */
  body: (json: unknown) => boolean;
}

const errorCode = (code: string) => (json: unknown) => (json as { error?: string } | null)?.error === code;
const big = (prefix: string) => `${prefix}${"x".repeat(BIG)}`;
/** A body sent in chunks with no Content-Length, as a streaming client uploads. */
const streamed = (text: string) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      const bytes = new TextEncoder().encode(text);
      for (let i = 0; i < bytes.length; i += 16 * 1024) controller.enqueue(bytes.slice(i, i + 16 * 1024));
      controller.close();
    },
  });

function steps(url: string): Step[] {
  const headers = (type?: string) => ({
    origin: url,
    "cf-connecting-ip": nextIp(),
    ...(type ? { "content-type": type } : {}),
  });
  return [
    {
      name: "a JSON body over the limit (413, unread)",
      path: "/auth/v1/sign-in/email",
      init: () => ({ method: "POST", headers: headers("application/json"), body: big('{"a":"') }),
      status: 413,
      body: errorCode("payload_too_large"),
    },
    {
      name: "an empty-body sign-in right after it",
      path: "/auth/v1/sign-in/email",
      init: () => ({ method: "POST", headers: headers("application/json") }),
      status: 400,
      body: (json) => typeof (json as { message?: unknown }).message === "string",
    },
    {
      name: "a big text/plain body to sign-in (415, unread)",
      path: "/auth/v1/sign-in/email",
      init: () => ({ method: "POST", headers: headers("text/plain"), body: big("") }),
      status: 415,
      body: (json) => typeof (json as { message?: unknown }).message === "string",
    },
    {
      name: "a get-session right after it",
      path: "/auth/v1/get-session",
      init: () => ({ headers: headers() }),
      status: 200,
      body: (json) => json === null,
    },
    {
      name: "a big streamed form body to no endpoint (404, unread)",
      path: "/auth/v1/no-such-endpoint",
      init: () =>
        ({
          method: "POST",
          headers: headers("application/x-www-form-urlencoded"),
          body: streamed(big("a=")),
          duplex: "half",
        }) as RequestInit,
      status: 404,
      body: errorCode("not_found"),
    },
  ];
}

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
});

afterAll(async () => {
  await stack?.stop();
});

describe("connection reuse after early answers (local stack)", () => {
  it(`answers ${ROUNDS} rounds of unread bodies and ordinary requests with no reset and no empty answer`, {
    timeout: 180_000,
  }, async () => {
    const plan = steps(stack.url);
    const wrong: string[] = [];
    let sent = 0;
    let round = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (round++ < ROUNDS) {
          for (const step of plan) {
            const res = await fetch(`${stack.url}${step.path}`, step.init());
            const text = await res.text();
            sent++;
            let json: unknown;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            if (res.status !== step.status || json === undefined || !step.body(json)) {
              wrong.push(`${step.name}: ${res.status} ${JSON.stringify(text.slice(0, 160))}`);
            }
          }
        }
      }),
    );
    expect(wrong).toEqual([]);
    expect(sent).toBe(ROUNDS * plan.length);
  });
});
