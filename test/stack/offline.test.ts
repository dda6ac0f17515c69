/** The local stack makes no outbound connection: every socket it opens goes to this machine. */
import { readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { startStack, uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("offline");
const trace = path.join(os.tmpdir(), `authform-${stage}.strace`);

// The stage itself is destroyed with the run's others after the last file.
afterAll(() => rm(trace, { force: true }));

/** Addresses that never leave the machine: loopback, and the unspecified ones used to probe routes. */
const LOCAL_ADDRESS = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|0\.0\.0\.0|::)$/;

describe("local mode", () => {
  it("deploys, serves a sign-up and stops without connecting beyond loopback", async () => {
    // strace records every connect() of the program, Bun, and workerd (-f follows children).
    const stack = await startStack(stage, {
      wrap: ["strace", "-f", "-qq", "-e", "trace=connect", "-o", trace],
    });
    const res = await new Session(stack.url).post("/auth/v1/sign-up/email", {
      name: "Off Line",
      email: "offline@example.com",
      password: "correct horse battery",
    });
    expect(res.status).toBe(200);
    await stack.stop();

    const calls = (await readFile(trace, "utf8")).split("\n").filter((l) => l.includes("connect("));
    const targets = calls.flatMap((line) => {
      const addr = /inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6?, "([^"]+)"/.exec(line);
      return addr ? [addr[1] ?? addr[2]] : [];
    });
    expect(calls.length).toBeGreaterThan(0); // strace saw the program's sockets at all
    expect(targets.filter((t) => !LOCAL_ADDRESS.test(t as string))).toEqual([]);
  });
});
