/**
 * The production stage of a config with domains, on workerd (Miniflare) with two hostnames: a
 * session made on the API reaches the Account SPA's host, CORS grants exactly the trusted origins.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.ts";
import { defineAuth, defineConfig, defineRuntime } from "../../src/index.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";
import type { DeploymentPlan } from "../../src/plan/types.ts";
import { CookieJar } from "../support/cookie-jar.ts";
import { browserFetcher, json } from "../support/planned-browser.ts";
import { type PlannedWorker, runPlannedWorker } from "../support/run-planned-worker.ts";
import {
  type CreationOptionsJSON,
  type RequestOptionsJSON,
  SoftAuthenticator,
} from "../support/webauthn-authenticator.ts";

const API = "https://api.example.test";
const ACCOUNT = "https://account.example.test";
const EVIL = "https://evil.example.net";
/** On the cookie's domain but not a trusted origin: a cookie's reach is not a CORS grant. */
const SIBLING = "https://blog.example.test";

let plan: DeploymentPlan;
let worker: PlannedWorker;

beforeAll(async () => {
  const config = parseConfig(
    defineConfig({
      name: "cross-origin",
      providers: {
        runtime: defineRuntime("cloudflare", {
          domains: { api: "api.example.test", account: "account.example.test", zone: "example.test" },
        }),
        auth: defineAuth("better-auth", { emailAndPassword: { enabled: true }, plugins: ["passkey"] }),
      },
    }),
  );
  plan = planDeployment({ config, env: { ALCHEMY_PASSWORD: "x" }, stage: "production", mode: "deploy" });
  // The Worker the plan generates (the Account SPA left out), on workerd.
  worker = await runPlannedWorker(plan, { BETTER_AUTH_SECRET: "cross-origin-test-secret-0123456789abcdef" });
}, 120_000);

afterAll(async () => {
  await worker?.dispose();
});

const browserFetch = browserFetcher(() => worker);

describe("the plan this stack runs", () => {
  it("is the production stage's: API and Account on two hosts of example.test", () => {
    expect(plan.vars).toMatchObject({
      BETTER_AUTH_URL: API,
      ACCOUNT_URL: ACCOUNT,
      AUTHFORM_TRUSTED_ORIGINS: `${API},${ACCOUNT}`,
      AUTHFORM_COOKIE_DOMAIN: "example.test",
    });
  });
});

describe("a session made on the API", () => {
  const jar = new CookieJar();
  let authenticator: SoftAuthenticator;
  beforeAll(async () => {
    authenticator = await SoftAuthenticator.create();
  });

  it("is set for the registrable domain by a sign-up the Account SPA makes on the API", async () => {
    const res = await browserFetch(
      jar,
      `${API}/auth/v1/sign-up/email`,
      ACCOUNT,
      json({ email: "ada@example.test", password: "correct horse battery", name: "Ada" }),
    );
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(ACCOUNT);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    const session = res.headers.getSetCookie().find((c) => c.includes("better-auth.session_token="));
    expect(session).toMatch(/;\s*Domain=example\.test(;|$)/i);
    expect(jar.domains()).toMatchObject({ "__Secure-better-auth.session_token": "example.test" });
  });

  it("is sent by the account origin's own requests, which see the same user", async () => {
    expect(jar.headerFor(`${ACCOUNT}/api/v1/me`)).toContain("better-auth.session_token=");
    const me = await browserFetch(jar, `${ACCOUNT}/api/v1/me`, ACCOUNT);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: "ada@example.test", authMethod: "session" });
    const session = await browserFetch(jar, `${ACCOUNT}/auth/v1/get-session`, ACCOUNT);
    expect(((await session.json()) as { user?: { email?: string } }).user?.email).toBe("ada@example.test");
  });

  it("never reaches another site", () => {
    expect(jar.headerFor(`${EVIL}/`)).toBeUndefined();
    expect(jar.headerFor("https://evilexample.test/")).toBeUndefined();
  });

  it("registers passkeys for the whole site: RP ID example.test, origin the Account SPA", async () => {
    const options = await browserFetch(jar, `${ACCOUNT}/auth/v1/passkey/register/options`, ACCOUNT, json({}));
    expect(options.status, await options.clone().text()).toBe(200);
    const creation = (await options.json()) as CreationOptionsJSON;
    expect(creation.rp.id).toBe("example.test");
    // The ceremony as the Account SPA's page runs it: the authenticator signs over the SPA's origin.
    const credential = await authenticator.register(creation, ACCOUNT);
    const verify = await browserFetch(
      jar,
      `${ACCOUNT}/auth/v1/passkey/register/verify`,
      ACCOUNT,
      json(credential),
    );
    expect(verify.status, await verify.clone().text()).toBe(200);
    expect(await verify.json()).toMatchObject({ credentialID: authenticator.id });
  });

  it("signs in with that passkey from a fresh browser on the Account SPA, through the API host", async () => {
    const visitor = new CookieJar();
    const options = await browserFetch(
      visitor,
      `${API}/auth/v1/passkey/authenticate/options`,
      ACCOUNT,
      json({}),
    );
    expect(options.status, await options.clone().text()).toBe(200);
    const request = (await options.json()) as RequestOptionsJSON;
    expect(request.rpId).toBe("example.test");
    const assertion = await authenticator.authenticate(request, ACCOUNT);
    const res = await browserFetch(
      visitor,
      `${API}/auth/v1/passkey/authenticate/verify`,
      ACCOUNT,
      json(assertion),
    );
    expect(res.status, await res.clone().text()).toBe(200);
    const session = await browserFetch(visitor, `${ACCOUNT}/auth/v1/get-session`, ACCOUNT);
    expect(((await session.json()) as { user?: { email?: string } }).user?.email).toBe("ada@example.test");
  });

  it("refuses a passkey made for another site's origin", async () => {
    const options = await browserFetch(jar, `${ACCOUNT}/auth/v1/passkey/register/options`, ACCOUNT, json({}));
    const stranger = await SoftAuthenticator.create();
    const credential = await stranger.register((await options.json()) as CreationOptionsJSON, EVIL);
    const res = await browserFetch(
      jar,
      `${ACCOUNT}/auth/v1/passkey/register/verify`,
      ACCOUNT,
      json(credential),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "FAILED_TO_VERIFY_REGISTRATION" });
  });
});

describe("CORS", () => {
  const preflight = (url: string, origin: string) =>
    worker.fetch(url, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });

  it.each([["/auth/v1/sign-in/email"], ["/api/v1/token"]])(
    "answers a credentialed preflight from the account origin for %s",
    async (pathname) => {
      const res = await preflight(`${API}${pathname}`, ACCOUNT);
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe(ACCOUNT);
      expect(res.headers.get("access-control-allow-credentials")).toBe("true");
      expect(res.headers.get("access-control-allow-methods")).toContain("POST");
      expect(res.headers.get("access-control-allow-headers")).toContain("content-type");
      expect(res.headers.get("vary")).toContain("Origin");
    },
  );

  it.each([[EVIL], [SIBLING]])("grants nothing to %s: no preflight, no response headers", async (origin) => {
    const pre = await preflight(`${API}/auth/v1/sign-in/email`, origin);
    expect(pre.status).toBe(403);
    expect(await pre.json()).toMatchObject({ error: "origin_not_allowed" });
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    expect(pre.headers.get("access-control-allow-credentials")).toBeNull();

    const jar = new CookieJar();
    const res = await browserFetch(jar, `${API}/api/v1/system/status`, origin);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("lets a trusted origin's page read the fast-path token header", async () => {
    const jar = new CookieJar();
    const res = await browserFetch(
      jar,
      `${API}/auth/v1/sign-in/email`,
      ACCOUNT,
      json({ email: "ada@example.test", password: "correct horse battery" }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("set-auth-token")).toBeTruthy();
    expect(res.headers.get("access-control-expose-headers")).toContain("set-auth-token");
  });
});
