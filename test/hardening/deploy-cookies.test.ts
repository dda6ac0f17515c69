/**
 * The session cookie a deployed (https) stack sets, from the real Worker app built for a deploy-mode
 * plan and run in Node against D1 (Miniflare's, with the real migrations): Secure, HttpOnly, SameSite=Lax.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse.ts";
import { defineAuth, defineConfig } from "../../src/index.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";
import { createWorker } from "../../worker/app.ts";
import type { WorkerEnv } from "../../worker/env.ts";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const API = "https://api.example.com";
const ACCOUNT = "https://account.example.com";

const config = parseConfig(
  defineConfig({
    name: "cookies",
    providers: { auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }) },
  }),
);
const plan = planDeployment({
  config,
  env: {
    BETTER_AUTH_URL: API,
    ACCOUNT_URL: ACCOUNT,
    APP_URL: "https://app.example.com",
    ALCHEMY_PASSWORD: "unused",
  },
  stage: "production",
  mode: "deploy",
});

let mf: Miniflare;
let env: WorkerEnv;
const app = createWorker({ manifest: plan.manifest, plugins: {} });

beforeAll(async () => {
  mf = new Miniflare({
    modules: true,
    script: "export default { fetch() { return new Response(null); } };",
    d1Databases: { DB: "deploy-cookies" },
  });
  const db = await mf.getD1Database("DB");
  const files = (await readdir(path.join(ROOT, "migrations"))).filter((f) => f.endsWith(".sql")).sort();
  for (const file of files) {
    const sql = await readFile(path.join(ROOT, "migrations", file), "utf8");
    const statements = sql.split("--> statement-breakpoint").filter((s) => s.trim());
    await db.batch(statements.map((s) => db.prepare(s)));
  }
  env = {
    ...(plan.vars as unknown as WorkerEnv),
    DB: db,
    BETTER_AUTH_SECRET: "deploy-cookies-test-secret-0123456789abcdef",
  };
});

afterAll(async () => {
  await mf?.dispose();
});

function signUp(origin: string, email: string) {
  return app.request(
    `${API}/auth/v1/sign-up/email`,
    {
      method: "POST",
      headers: { "content-type": "application/json", origin, "cf-connecting-ip": "192.0.2.1" },
      body: JSON.stringify({ email, password: "correct horse battery", name: "Dee" }),
    },
    env,
  );
}

describe("a deploy-mode stack on https", () => {
  it("sets a __Secure- session cookie that is Secure, HttpOnly and SameSite=Lax", async () => {
    const res = await signUp(ACCOUNT, "dee@example.com");
    expect(res.status, await res.clone().text()).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.includes("session_token="));
    expect(cookie, res.headers.getSetCookie().join("\n")).toMatch(/^__Secure-better-auth\.session_token=/);
    const attributes = (cookie as string).split(";").map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(["secure", "httponly", "samesite=lax", "path=/"]));
  });

  it("refuses a sign-in posted from a foreign origin", async () => {
    const res = await app.request(
      `${API}/auth/v1/sign-in/email`,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: "https://evil.example",
          "cf-connecting-ip": "192.0.2.2",
        },
        body: JSON.stringify({ email: "dee@example.com", password: "correct horse battery" }),
      },
      env,
    );
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().filter((c) => c.includes("session_token"))).toEqual([]);
  });

  it("rate-limits there too (the limiter is not only for local stacks)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await app.request(
        `${API}/auth/v1/sign-in/email`,
        {
          method: "POST",
          headers: { "content-type": "application/json", origin: ACCOUNT, "cf-connecting-ip": "192.0.2.3" },
          // One guess per account: an account's own limit would slow a sixth guess at one.
          body: JSON.stringify({ email: `dee-${i}@example.com`, password: "wrong password!" }),
        },
        env,
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
  });
});
