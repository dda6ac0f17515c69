/**
 * GET /auth/v1/get-session is answered through `auth.api.getSession`, not Better Auth's router
 * (worker/auth/get-session-route.ts). Two proofs, with every plugin on, on the real Worker app in
 * Node against Miniflare's D1 with the real migrations:
 * - the router's own steps are no-ops on this path (an upgrade that adds one fails here);
 * - for each session state a caller can send, the fast answer and the router's answer are the
 *   same: status, body and cookies.
 */
import type { BetterAuthOptions } from "better-auth";
import { Hono } from "hono";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLUGIN_NAMES } from "../../src/contract/plugins.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";
import { createWorker } from "../../worker/app.ts";
import { type Auth, authFor } from "../../worker/auth/create-auth.ts";
import { GET_SESSION_PATH } from "../../worker/auth/get-session-route.ts";
import type { WorkerEnv } from "../../worker/env.ts";
import { securityHeaders } from "../../worker/middleware/security-headers.ts";
import type { WorkerSpec } from "../../worker/spec.ts";
import { applyMigrations } from "../support/apply-migrations.ts";
import { everyPluginConfig, pluginModules } from "../support/plugin-modules.ts";

const API = "https://api.example.com";
const ACCOUNT = "https://account.example.com";
const GET_SESSION = `${API}/auth/v1${GET_SESSION_PATH}`;

let mf: Miniflare;
let env: WorkerEnv;
let db: D1Database;
let spec: WorkerSpec;
let app: ReturnType<typeof createWorker>;
let auth: Auth;
let routerCalls = 0;
// Audit writes and other after-response work, awaited before the next step reads the database.
const pending: Promise<unknown>[] = [];
const executionCtx = {
  waitUntil: (p: Promise<unknown>) => void pending.push(p),
  passThroughOnException: () => {},
  props: {},
};

async function settle(): Promise<void> {
  while (pending.length > 0) await Promise.allSettled(pending.splice(0));
}

beforeAll(async () => {
  const config = everyPluginConfig("get-session-route");
  const plan = planDeployment({
    config,
    env: {
      BETTER_AUTH_URL: API,
      ACCOUNT_URL: ACCOUNT,
      APP_URL: "https://app.example.com",
      ALCHEMY_PASSWORD: "x",
    },
    stage: "production",
    mode: "deploy",
  });
  // The modules the generated entry imports, in the catalogue's order as there.
  const plugins = await pluginModules(PLUGIN_NAMES);
  spec = { manifest: plan.manifest, plugins };
  app = createWorker(spec);
  mf = new Miniflare({
    modules: true,
    script: "export default { fetch() { return new Response(null); } };",
    d1Databases: { DB: "get-session-route" },
  });
  db = (await mf.getD1Database("DB")) as unknown as D1Database;
  await applyMigrations(db);
  env = {
    ...(plan.vars as unknown as WorkerEnv),
    DB: db,
    BETTER_AUTH_SECRET: "get-session-route-test-secret-0123456789abcdef",
  };
  auth = authFor(env, spec);
  // The Worker looks the handler up on the same instance at each request: count who enters it.
  const handler = auth.handler;
  auth.handler = (request: Request) => {
    routerCalls += 1;
    return handler(request);
  };
});

afterAll(async () => {
  await settle();
  await mf?.dispose();
});

/** Through the Worker app: the fast route, which must not enter Better Auth's router. */
async function viaFastRoute(headers: Record<string, string>, query = ""): Promise<Response> {
  const before = routerCalls;
  const res = await app.fetch(new Request(`${GET_SESSION}${query}`, { headers }), env, executionCtx);
  await settle();
  expect(routerCalls, "the Worker sent get-session through Better Auth's router").toBe(before);
  return res;
}

/**
 * Into Better Auth's router, as every other auth path goes, behind the headers the Worker adds to
 * every auth answer (the API key case gets its cache-control there, both ways).
 */
async function viaRouter(headers: Record<string, string>, query = ""): Promise<Response> {
  const router = new Hono();
  router.use("*", securityHeaders([spec.manifest.basePath]));
  router.get("*", (c) => auth.handler(c.req.raw));
  const res = await router.fetch(new Request(`${GET_SESSION}${query}`, { headers }));
  await settle();
  return res;
}

let userCount = 0;
async function signUp(): Promise<{ cookie: string; token: string; userId: string }> {
  const before = routerCalls;
  userCount += 1;
  const res = await app.fetch(
    new Request(`${API}/auth/v1/sign-up/email`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: ACCOUNT,
        "cf-connecting-ip": `192.0.2.${userCount}`,
      },
      body: JSON.stringify({
        email: `gs-${userCount}@example.com`,
        password: "correct horse battery",
        name: "Gee",
      }),
    }),
    env,
    executionCtx,
  );
  await settle();
  expect(res.status, await res.clone().text()).toBe(200);
  // Every other auth path still goes through the router (and so the count above means something).
  expect(routerCalls).toBe(before + 1);
  const set = res.headers.getSetCookie().find((c) => c.includes("session_token=")) as string;
  const cookie = set.split(";")[0] as string;
  const body = (await res.json()) as { token: string; user: { id: string } };
  return { cookie, token: body.token, userId: body.user.id };
}

interface Answer {
  status: number;
  body: unknown;
  cookies: string[];
  contentType: string | null;
  cacheControl: string | null;
}

/** What a caller sees. Times that are "now + something" differ by the milliseconds between calls. */
async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  const masked = text.replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/g, (iso) => `"${iso.slice(1, 17)}"`);
  return {
    status: res.status,
    body: masked === "" ? "" : JSON.parse(masked),
    cookies: res.headers
      .getSetCookie()
      .map((c) =>
        c
          .replace(/=[^;]*/, "=<value>")
          .replace(/Expires=[^;]*/i, "Expires=<date>")
          .replace(/Max-Age=\d+/i, (m) => m.slice(0, -2)),
      )
      .sort(),
    contentType: res.headers.get("content-type"),
    cacheControl: res.headers.get("cache-control"),
  };
}

/** The same state, asked both ways: `prepare` puts the state back before each call. */
async function bothWays(
  headers: Record<string, string>,
  { query = "", prepare = async () => {} }: { query?: string; prepare?: () => Promise<void> } = {},
): Promise<{ fast: Answer; router: Answer }> {
  await prepare();
  const fast = await answer(await viaFastRoute(headers, query));
  await prepare();
  const router = await answer(await viaRouter(headers, query));
  return { fast, router };
}

describe("the router's steps on GET /get-session", () => {
  it("are no-ops with every plugin on", async () => {
    const options = auth.options as BetterAuthOptions;
    const plugins = options.plugins ?? [];
    // Only oauthProvider hooks every request, for its discovery documents.
    expect(plugins.filter((p) => p.onRequest || p.onResponse).map((p) => p.id)).toEqual(["oauth-provider"]);
    const context = await auth.$context;
    const onRequest = plugins.find((p) => p.id === "oauth-provider")?.onRequest;
    expect(await onRequest?.(new Request(GET_SESSION), context as never)).toBeUndefined();
    // No plugin adds a router middleware (they would run before every endpoint).
    expect(plugins.flatMap((p) => p.middlewares ?? [])).toEqual([]);
    // The rate limiter skips it.
    expect(options.rateLimit?.customRules?.[GET_SESSION_PATH]).toBe(false);
    expect(options.disabledPaths ?? []).not.toContain(GET_SESSION_PATH);
  });
});

describe("GET /get-session: the fast route answers as the router does", () => {
  it("with no cookie", async () => {
    const { fast, router } = await bothWays({});
    expect(fast.body).toBeNull();
    expect(fast).toEqual(router);
  });

  it("with a valid session", async () => {
    const { cookie, userId } = await signUp();
    const { fast, router } = await bothWays({ cookie });
    expect((fast.body as { user: { id: string } }).user.id).toBe(userId);
    expect(fast).toEqual(router);
  });

  it("with a tampered cookie signature", async () => {
    const { cookie } = await signUp();
    const tampered = `${cookie.slice(0, -4)}AAA%3D`;
    const { fast, router } = await bothWays({ cookie: tampered });
    expect(fast.body).toBeNull();
    expect(fast).toEqual(router);
  });

  it("with an expired session (and the cookies it clears)", async () => {
    const { cookie, token } = await signUp();
    const { fast, router } = await bothWays(
      { cookie },
      {
        prepare: async () => {
          await db
            .prepare("UPDATE session SET expiresAt = ? WHERE token = ?")
            .bind(Date.now() - 60_000, token)
            .run();
        },
      },
    );
    expect(fast.body).toBeNull();
    expect(fast).toEqual(router);
  });

  it("with a session due for refresh: both extend it and set the cookie again", async () => {
    const { cookie, token } = await signUp();
    const dueForRefresh = async () => {
      // Two days left of seven, last updated five days ago: past Better Auth's one-day updateAge.
      const now = Date.now();
      await db
        .prepare("UPDATE session SET expiresAt = ?, updatedAt = ? WHERE token = ?")
        .bind(now + 2 * 86_400_000, now - 5 * 86_400_000, token)
        .run();
    };
    const { fast, router } = await bothWays({ cookie }, { prepare: dueForRefresh });
    expect(fast.cookies.some((c) => c.includes("session_token="))).toBe(true);
    expect(fast).toEqual(router);
    // ?disableRefresh=true leaves it as it is, both ways.
    const kept = await bothWays({ cookie }, { query: "?disableRefresh=true", prepare: dueForRefresh });
    expect(kept.fast.cookies).toEqual([]);
    expect(kept.fast).toEqual(kept.router);
  });

  it("with a revoked session", async () => {
    const { cookie, token } = await signUp();
    await db.prepare("DELETE FROM session WHERE token = ?").bind(token).run();
    const { fast, router } = await bothWays({ cookie });
    expect(fast.body).toBeNull();
    expect(fast).toEqual(router);
  });

  it("with a banned user", async () => {
    const { cookie, userId } = await signUp();
    const { fast, router } = await bothWays(
      { cookie },
      {
        prepare: async () => {
          await db.prepare("UPDATE user SET banned = 1 WHERE id = ?").bind(userId).run();
        },
      },
    );
    expect(fast).toEqual(router);
  });

  it("with an API key instead of a cookie (the key's owner, as the apiKey plugin answers)", async () => {
    const { cookie, userId } = await signUp();
    const created = await app.fetch(
      new Request(`${API}/auth/v1/api-key/create`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: ACCOUNT,
          cookie,
          "cf-connecting-ip": "192.0.2.200",
        },
        body: JSON.stringify({ name: "script" }),
      }),
      env,
      executionCtx,
    );
    await settle();
    expect(created.status, await created.clone().text()).toBe(200);
    const { key } = (await created.json()) as { key: string };
    const { fast, router } = await bothWays({ "x-api-key": key });
    expect((fast.body as { user: { id: string } }).user.id).toBe(userId);
    expect(fast).toEqual(router);
    const wrong = await bothWays({ "x-api-key": `${key.slice(0, -3)}xyz` });
    expect(wrong.fast.status).toBe(401);
    expect(wrong.fast).toEqual(wrong.router);
  });

  it("with unknown and repeated query parameters", async () => {
    const { cookie } = await signUp();
    const { fast, router } = await bothWays({ cookie }, { query: "?foo=1&foo=2&disableCookieCache=true" });
    expect(fast).toEqual(router);
    const bad = await bothWays({ cookie }, { query: "?disableRefresh=maybe" });
    expect(bad.fast).toEqual(bad.router);
  });
});
