/** runtime.trustedOrigins in the config: exact origins only, normalised and deduplicated, every bad entry at once. */
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/index.ts";
import type { RuntimeOptionsInput } from "../../src/config/types.ts";
import { defineAuth, defineConfig, defineRuntime } from "../../src/index.ts";

function config(runtime: RuntimeOptionsInput) {
  return parseConfig(
    defineConfig({
      name: "shop",
      providers: {
        runtime: defineRuntime("cloudflare", runtime),
        auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }),
      },
    }),
  );
}

function problems(trustedOrigins: unknown[]): string {
  try {
    config({ trustedOrigins: trustedOrigins as string[] });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("config was accepted");
}

const PATH = "providers.runtime.trustedOrigins";
const SHAPE = "expected an origin (scheme://host[:port], no path, query or fragment)";

describe("runtime.trustedOrigins", () => {
  it("is optional: absent from the resolved config when not given or empty", () => {
    expect(config({}).runtime).not.toHaveProperty("trustedOrigins");
    expect(config({ trustedOrigins: [] }).runtime).not.toHaveProperty("trustedOrigins");
  });

  it("keeps https origins and http ones on localhost, 127.0.0.1 and [::1], in the order given", () => {
    const origins = [
      "https://app2.example.com",
      "http://localhost:5173",
      "http://127.0.0.1:8080",
      "http://[::1]:3000",
      "https://marketing.example.org:8443",
    ];
    expect(config({ trustedOrigins: origins }).runtime.trustedOrigins).toEqual(origins);
  });

  it("normalises as a browser's Origin header: lowercase host, no default port, no trailing slash, punycode", () => {
    expect(
      config({
        trustedOrigins: ["HTTPS://App2.Example.COM:443/", "http://LOCALHOST:80", " https://bücher.example "],
      }).runtime.trustedOrigins,
    ).toEqual(["https://app2.example.com", "http://localhost", "https://xn--bcher-kva.example"]);
  });

  it("lists an origin once however it is spelled", () => {
    expect(
      config({
        trustedOrigins: [
          "https://app2.example.com",
          "https://APP2.example.com:443",
          "https://app2.example.com/",
        ],
      }).runtime.trustedOrigins,
    ).toEqual(["https://app2.example.com"]);
  });

  it("refuses wildcards and says to list each origin", () => {
    expect(problems(["https://*.example.com"])).toContain(
      `${PATH}[0]: wildcards are not supported; list each origin (got "https://*.example.com")`,
    );
    expect(problems(["*"])).toContain(`${PATH}[0]: wildcards are not supported; list each origin`);
  });

  it('refuses "null", the origin sandboxed and file: pages send', () => {
    expect(problems(["null"])).toContain(`${PATH}[0]: "null" cannot be trusted`);
    expect(problems(["NULL"])).toContain(`${PATH}[0]: "null" cannot be trusted`);
  });

  it("refuses a path, query, fragment or user name, and gives the origin to write instead", () => {
    const message = problems([
      "https://app.example.com/callback",
      "https://app.example.com?from=ads",
      "https://app.example.com/#top",
      "https://ada@app.example.com",
      "https://app.example.com//",
    ]);
    for (let i = 0; i < 5; i++) expect(message).toContain(`${PATH}[${i}]: ${SHAPE}`);
    expect(message).toContain(
      `${PATH}[0]: ${SHAPE} like "https://app.example.com" or "http://localhost:5173", got "https://app.example.com/callback" — write the origin only: "https://app.example.com"`,
    );
  });

  it("wants a scheme, and only http or https", () => {
    expect(problems(["app.example.com"])).toContain(
      `${PATH}[0]: ${SHAPE} like "https://app.example.com" or "http://localhost:5173", got "app.example.com" — add the scheme: "https://app.example.com"`,
    );
    expect(problems(["chrome-extension://abcdef"])).toContain(
      `${PATH}[0]: expected an http or https origin, got "chrome-extension://abcdef"`,
    );
  });

  it("refuses plain http except on loopback, and suggests https", () => {
    const message = problems([
      "http://app.example.com",
      "http://192.168.1.20:5173",
      "http://dev.localhost:5173",
    ]);
    expect(message).toContain(
      `${PATH}[0]: plain http is only accepted for localhost, 127.0.0.1 and [::1], got "http://app.example.com"`,
    );
    expect(message).toContain('use https: "https://app.example.com"');
    expect(message).toContain(`${PATH}[1]: plain http is only accepted`);
    expect(message).toContain(`${PATH}[2]: plain http is only accepted`);
  });

  it("refuses what is not an origin at all: empty, bad port, not a string", () => {
    const message = problems(["", "https://app.example.com:99999", 5173]);
    expect(message).toContain(`${PATH}[0]: ${SHAPE}`);
    expect(message).toContain(`${PATH}[1]: expected an origin like`);
    expect(message).toContain(`${PATH}[2]: expected a string, got 5173`);
  });

  it("lists every bad entry at once, and none of the good ones", () => {
    const message = problems([
      "https://ok.example.com",
      "https://*.example.com",
      "http://localhost:5173",
      "null",
      "https://app.example.com/path",
      "http://plain.example.com",
    ]);
    const lines = message.split("\n").filter((l) => l.includes(PATH));
    expect(lines.map((l) => /trustedOrigins\[(\d+)\]/.exec(l)?.[1])).toEqual(["1", "3", "4", "5"]);
  });

  it("takes origins, not hostnames: a bare host is refused with the scheme it most likely meant", () => {
    expect(problems(["localhost:5173"])).toContain('add the scheme: "http://localhost:5173"');
    expect(problems(["app.example.com:8443"])).toContain('add the scheme: "https://app.example.com:8443"');
  });
});
