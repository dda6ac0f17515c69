/** GET /api/v1/system/status on workerd: which plugins run, whether each has what it needs, and no secret in sight. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localEnv, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("status");
const CONFIG = ["--config", "test/fixtures/system-status.config.ts"];
const SECRET = "status-test-secret-0123456789-abcdefghijklmnop";
const PREVIOUS = "status-test-previous-secret-9876543210-zyxwvut";
let stack: RunningStack;

interface Status {
  app: string;
  stage: string;
  mode: string;
  emailAndPassword: boolean;
  plugins: string[];
  emailTransport: string;
  ready: boolean;
  readiness: Record<string, { ready: boolean; missing: string[] }>;
}

beforeAll(async () => {
  stack = await startStack(stage, {
    args: CONFIG,
    env: localEnv({
      BETTER_AUTH_SECRET: SECRET,
      BETTER_AUTH_PREVIOUS_SECRET: PREVIOUS,
      AUTHFORM_JWT_PREVIOUS_SECRET: PREVIOUS,
    }),
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe("GET /api/v1/system/status", () => {
  it("lists the enabled plugins, each ready (local outbox, localhost passkey origin, jwt on)", async () => {
    const res = await fetch(`${stack.url}/api/v1/system/status`);
    expect(res.status).toBe(200);
    const status = (await res.json()) as Status;
    expect(status).toMatchObject({
      stage,
      mode: "local",
      emailAndPassword: true,
      emailTransport: "local-outbox",
      ready: true,
    });
    expect([...status.plugins].sort()).toEqual(
      ["anonymous", "emailOtp", "jwt", "magicLink", "passkey", "upgradeAnonymous"].sort(),
    );
    expect(Object.keys(status.readiness).sort()).toEqual(
      ["core", "emailAndPassword", ...status.plugins].sort(),
    );
    for (const [name, check] of Object.entries(status.readiness)) {
      expect(check, name).toEqual({ ready: true, missing: [] });
    }
  });

  it("carries no secret value, in the status or the email status", async () => {
    for (const path of ["/api/v1/system/status", "/api/v1/system/email-status"]) {
      const text = await (await fetch(`${stack.url}${path}`)).text();
      expect(text.length).toBeGreaterThan(10);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(PREVIOUS);
      // Not even a piece of one.
      expect(text).not.toContain(SECRET.slice(0, 16));
    }
  });

  it("is public: no credentials needed, and a bad one does not matter", async () => {
    const res = await fetch(`${stack.url}/api/v1/system/status`, {
      headers: { authorization: "Bearer not-a-token", "x-api-key": "nope" },
    });
    expect(res.status).toBe(200);
  });
});
