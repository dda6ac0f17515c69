/** The local port: checked the way Alchemy's proxy binds it, and a stack that came up elsewhere is an error, not 403s. */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { assertServingOn, chooseLocalPort, isPortFree } from "../../src/cli/port.ts";
import { freePort, runProgram, uniqueStage } from "../support/stack.ts";

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** Something else listening on `host` only. */
async function occupy(host: string): Promise<number> {
  const server = net.createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen({ port: 0, host }, resolve));
  return (server.address() as net.AddressInfo).port;
}

describe("isPortFree", () => {
  it("sees a port taken on any address: 127.0.0.1, ::1 or all", async () => {
    for (const host of ["127.0.0.1", "::1", "::"]) {
      expect(await isPortFree(await occupy(host)), host).toBe(false);
    }
    expect(await isPortFree(await freePort())).toBe(true);
  });
});

describe("chooseLocalPort", () => {
  it("keeps the previous port when free, skips it when taken on ::1 only", async () => {
    const free = await freePort();
    expect(await chooseLocalPort(undefined, free)).toBe(free);
    const taken = await occupy("::1");
    expect(await chooseLocalPort(undefined, taken)).not.toBe(taken);
  });
});

describe("assertServingOn", () => {
  it("accepts the chosen port and names both ports when the stack came up elsewhere", () => {
    expect(() => assertServingOn("http://localhost:4100", 4100)).not.toThrow();
    expect(() => assertServingOn("http://localhost:4101", 4100)).toThrow(
      "Port 4100 was taken by another program while the stack started (it came up on 4101, where its URLs would be wrong). Run again, or pass a free --port.",
    );
  });
});

describe("the program", () => {
  it("refuses --port N when N is taken on ::1 only, before provisioning anything", async () => {
    const port = await occupy("::1");
    const result = await runProgram(["--stage", uniqueStage("port"), "--port", String(port)]);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`Port ${port} is in use. Stop what uses it or pass another --port.`);
  });
});
