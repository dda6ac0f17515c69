/** AUTHFORM_CIMD_LOOPBACK: local mode only, beside the OAuth provider, and each entry an https origin → loopback origin. */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse.ts";
import { cimdFetchUrl } from "../../src/contract/cimd-loopback.ts";
import { defineAuth, defineConfig, defineDatabase } from "../../src/index.ts";
import { CimdLoopbackError } from "../../src/plan/errors.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";

const config = (plugins: ("oauthProvider" | "passkey")[]) =>
  parseConfig(
    defineConfig({
      name: "app",
      providers: {
        database: defineDatabase("cloudflare-d1", { vars: { BETTER_AUTH_URL: "https://api.example.com" } }),
        auth: defineAuth("better-auth", { emailAndPassword: { enabled: true }, plugins }),
      },
    }),
  );
const local = (value: string, plugins: ("oauthProvider" | "passkey")[] = ["oauthProvider"]) =>
  planDeployment({
    config: config(plugins),
    env: { AUTHFORM_CIMD_LOOPBACK: value },
    stage: "dev",
    mode: "local",
    port: 1337,
  });
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(CimdLoopbackError);
    return (err as Error).message;
  }
  throw new Error("accepted");
};

describe("AUTHFORM_CIMD_LOOPBACK", () => {
  it("goes to a local Worker normalised, and the Worker fetches the mapped origin's paths from the stand-in", () => {
    const plan = local(" https://Agent.Example.com/ = http://127.0.0.1:4100 ".replace(/ /g, ""));
    expect(plan.vars.AUTHFORM_CIMD_LOOPBACK).toBe("https://agent.example.com=http://127.0.0.1:4100");
    const origins = { "https://agent.example.com": "http://127.0.0.1:4100" };
    expect(cimdFetchUrl(new URL("https://agent.example.com/c.json?v=1"), origins).href).toBe(
      "http://127.0.0.1:4100/c.json?v=1",
    );
    // Another host is fetched from itself.
    expect(cimdFetchUrl(new URL("https://other.example.com/c.json"), origins).href).toBe(
      "https://other.example.com/c.json",
    );
  });

  it("is not given to a Worker when the environment does not set it", () => {
    expect(local("").vars.AUTHFORM_CIMD_LOOPBACK).toBeUndefined();
  });

  it("is refused on a deploy: a deployed Worker fetches documents from their own hosts", () => {
    const said = refusal(() =>
      planDeployment({
        config: config(["oauthProvider"]),
        env: {
          AUTHFORM_CIMD_LOOPBACK: "https://agent.example.com=http://127.0.0.1:4100",
          ALCHEMY_PASSWORD: "p",
        },
        stage: "prod",
        mode: "deploy",
      }),
    );
    expect(said).toContain("only for local mode and tests");
  });

  it("is refused without the OAuth provider, which is what reads the documents", () => {
    expect(refusal(() => local("https://agent.example.com=http://127.0.0.1:4100", ["passkey"]))).toContain(
      "does not enable oauthProvider",
    );
  });

  it.each([
    "http://agent.example.com=http://127.0.0.1:4100",
    "https://agent.example.com/path=http://127.0.0.1:4100",
    "https://agent.example.com=http://10.0.0.5:4100",
    "https://agent.example.com=https://127.0.0.1:4100",
    "https://agent.example.com",
  ])("refuses %s, saying the shape it wants", (value) => {
    expect(refusal(() => local(value))).toContain("expected <https origin>=<loopback http origin>");
  });
});
