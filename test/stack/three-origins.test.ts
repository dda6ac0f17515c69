/**
 * The API, the Account SPA and the app on three origins of one site (local mode makes them one):
 * the production stage of a config with domains and its own APP_URL, on workerd (Miniflare) with a
 * real send_email binding. Passkey ceremonies are accepted from ACCOUNT_URL and the app (APP_URL), never
 * from the API's own origin or an untrusted page of the site, OAuth sends the browser to
 * ACCOUNT_URL's /login and /consent, magic links land on APP_URL, and CORS and cookies are as README
 * documents for custom domains.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.ts";
import { defineAuth, defineConfig, defineDatabase, defineRuntime } from "../../src/index.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";
import type { DeploymentPlan } from "../../src/plan/types.ts";
import { CookieJar } from "../support/cookie-jar.ts";
import { nextUrl } from "../support/oauth-browser.ts";
import { browserFetcher, json } from "../support/planned-browser.ts";
import { type PlannedWorker, runPlannedWorker } from "../support/run-planned-worker.ts";
import type { SentEmail } from "../support/send-email-tap.ts";
import {
  type CreationOptionsJSON,
  type RequestOptionsJSON,
  SoftAuthenticator,
} from "../support/webauthn-authenticator.ts";

const API = "https://api.example.test";
const ACCOUNT = "https://account.example.test";
const APP = "https://app.example.test";
const EVIL = "https://evil.example.net";
/** On the cookie's domain but not a trusted origin: a cookie's reach is not a CORS grant. */
const SIBLING = "https://blog.example.test";
const CLIENT_CALLBACK = "https://client.example.org/callback";
const ada = { name: "Ada", email: "ada@example.test", password: "correct horse battery" };

let plan: DeploymentPlan;
let worker: PlannedWorker;

beforeAll(async () => {
  const config = parseConfig(
    defineConfig({
      name: "three-origins",
      providers: {
        runtime: defineRuntime("cloudflare", {
          domains: { api: "api.example.test", account: "account.example.test", zone: "example.test" },
        }),
        database: defineDatabase("cloudflare-d1", {
          vars: { APP_URL: APP, EMAIL_FROM: "noreply@example.test" },
        }),
        auth: defineAuth("better-auth", {
          emailAndPassword: { enabled: true },
          plugins: {
            passkey: true,
            magicLink: true,
            oauthProvider: {
              allowDynamicClientRegistration: true,
              allowUnauthenticatedClientRegistration: true,
            },
          },
        }),
      },
    }),
  );
  plan = planDeployment({ config, env: { ALCHEMY_PASSWORD: "x" }, stage: "production", mode: "deploy" });
  worker = await runPlannedWorker(plan, { BETTER_AUTH_SECRET: "three-origins-test-secret-0123456789abcdef" });
}, 120_000);

afterAll(async () => {
  await worker?.dispose();
});

const browserFetch = browserFetcher(() => worker);

async function signedInEmail(jar: CookieJar, origin: string): Promise<string | undefined> {
  const res = await browserFetch(jar, `${API}/auth/v1/get-session`, origin);
  return ((await res.json()) as { user?: { email?: string } } | null)?.user?.email;
}

async function count(sql: string, ...params: unknown[]): Promise<number> {
  const row = await worker.db
    .prepare(sql)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("the plan this stack runs", () => {
  it("puts the API, the Account SPA and the app on three hosts of example.test", () => {
    expect(plan.vars).toMatchObject({
      BETTER_AUTH_URL: API,
      ACCOUNT_URL: ACCOUNT,
      APP_URL: APP,
      AUTHFORM_TRUSTED_ORIGINS: `${API},${ACCOUNT},${APP}`,
      AUTHFORM_COOKIE_DOMAIN: "example.test",
      AUTHFORM_RP_ID: "example.test",
    });
    expect(plan.bindings).toMatchObject({ EMAIL: "send_email" });
  });
});

describe("a sign-up the Account SPA makes on the API", () => {
  const jar = new CookieJar();

  it("gets a credentialed CORS grant and a session cookie for the whole site, Secure, HttpOnly, SameSite=Lax", async () => {
    const res = await browserFetch(jar, `${API}/auth/v1/sign-up/email`, ACCOUNT, json(ada));
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(ACCOUNT);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    const session = res.headers
      .getSetCookie()
      .find((c) => c.startsWith("__Secure-better-auth.session_token="));
    expect(session).toBeDefined();
    const attributes = (session as string)
      .split(";")
      .slice(1)
      .map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(
      expect.arrayContaining(["domain=example.test", "secure", "httponly", "samesite=lax"]),
    );
  });

  it("is a session on all three origins, and on no other site", async () => {
    for (const origin of [API, ACCOUNT, APP]) {
      expect(jar.headerFor(`${origin}/`), origin).toContain("__Secure-better-auth.session_token=");
    }
    expect(jar.headerFor(`${EVIL}/`)).toBeUndefined();
    expect(await signedInEmail(jar, APP)).toBe(ada.email);
  });
});

describe("passkeys: ceremonies run on the Account SPA or the app, never the API origin", () => {
  const jar = new CookieJar();
  let authenticator: SoftAuthenticator;
  let userId: string;

  beforeAll(async () => {
    authenticator = await SoftAuthenticator.create();
    const res = await browserFetch(jar, `${API}/auth/v1/sign-in/email`, ACCOUNT, json(ada));
    expect(res.status).toBe(200);
    userId = ((await res.json()) as { user: { id: string } }).user.id;
  });

  const registrationOptions = async (origin: string) => {
    const res = await browserFetch(jar, `${API}/auth/v1/passkey/register/options`, origin, json({}));
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as CreationOptionsJSON;
  };
  const passkeys = () => count("SELECT count(*) AS n FROM passkey WHERE userId = ?", userId);

  it("refuses a registration ceremony a page on the API origin ran, and stores nothing", async () => {
    const credential = await authenticator.register(await registrationOptions(API), API);
    const res = await browserFetch(jar, `${API}/auth/v1/passkey/register/verify`, API, json(credential));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "FAILED_TO_VERIFY_REGISTRATION" });
    expect(await passkeys()).toBe(0);
  });

  it("accepts the same ceremony run on the Account SPA, RP ID the shared site", async () => {
    const options = await registrationOptions(ACCOUNT);
    expect(options.rp.id).toBe("example.test");
    const credential = await authenticator.register(options, ACCOUNT);
    const res = await browserFetch(jar, `${API}/auth/v1/passkey/register/verify`, ACCOUNT, json(credential));
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ credentialID: authenticator.id });
    expect(await passkeys()).toBe(1);
  });

  const signIn = async (visitor: CookieJar, origin: string) => {
    const options = await browserFetch(
      visitor,
      `${API}/auth/v1/passkey/authenticate/options`,
      origin,
      json({}),
    );
    expect(options.status, await options.clone().text()).toBe(200);
    const assertion = await authenticator.authenticate((await options.json()) as RequestOptionsJSON, origin);
    return browserFetch(visitor, `${API}/auth/v1/passkey/authenticate/verify`, origin, json(assertion));
  };
  const sessions = () => count("SELECT count(*) AS n FROM session WHERE userId = ?", userId);

  it("refuses a sign-in ceremony a page on the API origin ran: no session", async () => {
    const before = await sessions();
    const visitor = new CookieJar();
    const res = await signIn(visitor, API);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "AUTHENTICATION_FAILED" });
    expect(visitor.headerFor(`${API}/`) ?? "").not.toContain("session_token=");
    expect(await sessions()).toBe(before);
  });

  it("signs in with the same passkey on the Account SPA, and the app sees the session", async () => {
    const visitor = new CookieJar();
    const res = await signIn(visitor, ACCOUNT);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await signedInEmail(visitor, APP)).toBe(ada.email);
  });

  it("signs in with the same passkey on the app's own page (APP_URL)", async () => {
    const visitor = new CookieJar();
    const res = await signIn(visitor, APP);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await signedInEmail(visitor, APP)).toBe(ada.email);
  });

  it("refuses a ceremony on a page of the site the stack does not trust: no session", async () => {
    const before = await sessions();
    const visitor = new CookieJar();
    // The browser would run it (blog.example.test is on the RP ID's site); the server must not take it.
    const res = await signIn(visitor, SIBLING);
    expect(res.status).toBe(403);
    expect(visitor.headerFor(`${API}/`) ?? "").not.toContain("session_token=");
    expect(await sessions()).toBe(before);
  });
});

describe("OAuth authorize sends the browser to the Account SPA", () => {
  let clientId: string;

  beforeAll(async () => {
    // Dynamic registration (RFC 7591), as a third-party client does it: server to server, no Origin.
    const res = await worker.fetch(
      `${API}/auth/v1/oauth2/register`,
      json({
        client_name: "Three origins client",
        redirect_uris: [CLIENT_CALLBACK],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      }),
    );
    expect(res.status, await res.clone().text()).toBe(201);
    clientId = ((await res.json()) as { client_id: string }).client_id;
  });

  const authorizeUrl = () =>
    `${API}/auth/v1/oauth2/authorize?${new URLSearchParams({
      client_id: clientId,
      redirect_uri: CLIENT_CALLBACK,
      response_type: "code",
      scope: "openid profile email",
      state: "three-origins-state",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
    })}`;

  // Miniflare's dispatchFetch (undici) always says sec-fetch-mode: cors, so Better Auth answers each
  // step as it answers fetch(): 200 { redirect: true, url } where a navigation gets a 302 to the same URL.
  it("sends a signed-out browser to ACCOUNT_URL/login, then a signed-in one to ACCOUNT_URL/consent, then back with a code", async () => {
    const jar = new CookieJar();
    const login = new URL(await nextUrl(await browserFetch(jar, authorizeUrl())));
    expect(`${login.origin}${login.pathname}`).toBe(`${ACCOUNT}/login`);
    expect(login.searchParams.get("client_id")).toBe(clientId);

    // The login page (on ACCOUNT_URL) signs in on the API, then resumes the request it was given.
    const signIn = await browserFetch(jar, `${API}/auth/v1/sign-in/email`, ACCOUNT, json(ada));
    expect(signIn.status).toBe(200);
    const resume = login.searchParams.get("redirect") as string;
    expect(resume.startsWith(`${API}/auth/v1/oauth2/authorize?`), resume).toBe(true);
    const consent = new URL(await nextUrl(await browserFetch(jar, resume)));
    expect(`${consent.origin}${consent.pathname}`).toBe(`${ACCOUNT}/consent`);

    // The consent page (on ACCOUNT_URL) answers on the API; the browser goes back to the client.
    const answer = await browserFetch(
      jar,
      `${API}/auth/v1/oauth2/consent`,
      ACCOUNT,
      json({ accept: true, oauth_query: consent.searchParams.get("oauth_query") }),
    );
    const callback = new URL(await nextUrl(answer));
    expect(`${callback.origin}${callback.pathname}`).toBe(CLIENT_CALLBACK);
    expect(callback.searchParams.get("code")).toBeTruthy();
    expect(callback.searchParams.get("state")).toBe("three-origins-state");
  });
});

describe("magic links land on APP_URL", () => {
  /** The next message the EMAIL binding got for `to` after its first `after` calls. */
  async function nextEmail(to: string, after: number): Promise<SentEmail> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = worker.sentEmails.slice(after).find((e) => e.message.to === to);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no email to ${to}: ${JSON.stringify(worker.sentEmails)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const linkIn = (text: string | undefined) => {
    const link = (text ?? "")
      .split(/\s+/)
      .find((w) => w.startsWith("https://") && w.includes("/magic-link/"));
    if (!link) throw new Error(`no magic link in: ${text}`);
    return new URL(link);
  };

  it("mails a link to the API's verify endpoint whose callback is APP_URL, and opening it signs the app in", async () => {
    const email = "grace@example.test";
    const app = new CookieJar();
    const after = worker.sentEmails.length;
    // The app's page asks, naming no callbackURL (the seed's frontend snippet).
    const send = await browserFetch(app, `${API}/auth/v1/magic-link/send`, APP, json({ email }));
    expect(send.status, await send.clone().text()).toBe(200);
    expect(send.headers.get("access-control-allow-origin")).toBe(APP);
    const sent = await nextEmail(email, after);
    expect(sent.error).toBeUndefined();
    const link = linkIn(sent.message.text);
    expect(`${link.origin}${link.pathname}`).toBe(`${API}/auth/v1/magic-link/verify`);
    expect(new URL(link.searchParams.get("callbackURL") as string).origin).toBe(APP);

    // Opened from the mail client: a navigation, no Origin, no cookies yet.
    const laptop = new CookieJar();
    const opened = await browserFetch(laptop, link.href);
    expect(opened.status).toBe(302);
    expect(new URL(opened.headers.get("location") as string).origin).toBe(APP);
    const cookie = opened.headers
      .getSetCookie()
      .find((c) => c.startsWith("__Secure-better-auth.session_token="));
    expect(cookie).toMatch(/;\s*Domain=example\.test(;|$)/i);
    // The page it lands on is on APP_URL: its cookie is there, and its calls to the API see the user.
    expect(laptop.headerFor(`${APP}/`)).toContain("__Secure-better-auth.session_token=");
    const session = await browserFetch(laptop, `${API}/auth/v1/get-session`, APP);
    expect(session.headers.get("access-control-allow-origin")).toBe(APP);
    expect(session.headers.get("access-control-allow-credentials")).toBe("true");
    expect(((await session.json()) as { user: { email: string } }).user.email).toBe(email);
  });

  it("refuses a callbackURL off the stack's three origins", async () => {
    const res = await browserFetch(
      new CookieJar(),
      `${API}/auth/v1/magic-link/send`,
      APP,
      json({ email: "mallory@example.test", callbackURL: `${EVIL}/landing` }),
    );
    expect(res.status).toBe(403);
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

  it.each([[ACCOUNT], [APP]])("answers a credentialed preflight from %s", async (origin) => {
    const res = await preflight(`${API}/auth/v1/sign-in/email`, origin);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(origin);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("vary")).toContain("Origin");
  });

  it.each([[EVIL], [SIBLING]])("grants %s nothing and refuses its sign-in", async (origin) => {
    const pre = await preflight(`${API}/auth/v1/sign-in/email`, origin);
    expect(pre.status).toBe(403);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    const jar = new CookieJar();
    const res = await browserFetch(jar, `${API}/auth/v1/sign-in/email`, origin, json(ada));
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(jar.headerFor(`${API}/`) ?? "").not.toContain("session_token=");
  });
});
