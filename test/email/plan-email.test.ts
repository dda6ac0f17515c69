/** What the plan says about email before anything is deployed: the transport, and a missing sender. */
import { describe, expect, it } from "vitest";
import { defineAuth, defineConfig, defineDatabase, parseConfig } from "../../src/config/index.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";

const deployEnv = { BETTER_AUTH_URL: "https://api.acme.example", ALCHEMY_PASSWORD: "p" };

function plan(auth: Parameters<typeof defineAuth>[1], vars: Record<string, string> = {}) {
  const config = parseConfig(
    defineConfig({
      name: "app",
      providers: {
        database: defineDatabase("cloudflare-d1", { vars }),
        auth: defineAuth("better-auth", auth),
      },
    }),
  );
  return planDeployment({ config, env: deployEnv, stage: "prod", mode: "deploy" });
}

describe("a deploy with Cloudflare Email Sending", () => {
  it("binds EMAIL and notes a missing EMAIL_FROM when the auth setup sends email", () => {
    const p = plan({ emailAndPassword: { enabled: false }, plugins: ["magicLink"] });
    expect(p.emailTransport).toBe("cloudflare");
    expect(p.bindings.EMAIL).toBe("send_email");
    expect(p.vars).not.toHaveProperty("AUTHFORM_OUTBOX_URL");
    expect(p.notes.join("\n")).toContain("EMAIL_FROM is not set: Cloudflare Email Sending has no sender");
  });

  it("says nothing once EMAIL_FROM is set, or when nothing sends email", () => {
    expect(plan({ plugins: ["emailOtp"] }, { EMAIL_FROM: "noreply@acme.example" }).notes).toEqual([]);
    expect(plan({ emailAndPassword: { enabled: false }, plugins: ["anonymous"] }).notes).toEqual([]);
  });
});
