/**
 * Social sign-in on a preview through a stable stage (auth.oauthProxy, docs/social-previews.md):
 * three local stacks of one config — the stable one, whose callback URLs are the only ones the
 * Google stand-in (panva's oidc-provider) and the GitHub stand-in accept; a preview on the stable
 * stage's allow-list; and a "lookalike" that shares the proxy secret but is not on it. Each round trip is driven over HTTP
 * with a cookie jar, and every refusal is checked for what it leaves behind in each D1.
 */
import { symmetricEncrypt } from "better-auth/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitHubStandIn, startGitHubStandIn } from "../support/github-stand-in.ts";
import { type GoogleStandIn, startGoogleStandIn } from "../support/google-oidc-stand-in.ts";
import { localD1File } from "../support/local-d1.ts";
import { SocialBrowser } from "../support/social-browser.ts";
import { loginAs } from "../support/social-users.ts";
import {
  freePort,
  localEnv,
  querySqlite,
  type RunningStack,
  startStack,
  uniqueStage,
} from "../support/stack.ts";

const APP = "social-proxy-test";
const CONFIG = ["--config", "test/fixtures/social-proxy.config.ts"];
const GOOGLE = { clientId: "google-client.apps.test", clientSecret: "google-secret-0123456789" };
const GITHUB = { clientId: "Iv1.githubclient", clientSecret: "github-secret-0123456789" };
const PROXY_SECRET = "proxy-secret-shared-by-stable-and-previews-0123";

const stages = {
  stable: uniqueStage("proxy-stable"),
  preview: uniqueStage("proxy-pr"),
  lookalike: uniqueStage("proxy-evil"),
};
type Role = keyof typeof stages;

let google: GoogleStandIn;
let github: GitHubStandIn;
const stacks = {} as Record<Role, RunningStack>;
const dbs = {} as Record<Role, string>;

beforeAll(async () => {
  const ports = { stable: await freePort(), preview: await freePort(), lookalike: await freePort() };
  const stableUrl = `http://localhost:${ports.stable}`;
  // Each provider app lists the stable stage's callback URL, and no other.
  google = await startGoogleStandIn({ ...GOOGLE, callbackUrl: `${stableUrl}/auth/v1/callback/google` }, [
    { sub: "2001", email: "pat@gmail.test", email_verified: true, name: "Pat" },
  ]);
  github = await startGitHubStandIn({ ...GITHUB, callbackUrl: `${stableUrl}/auth/v1/callback/github` });
  const env = localEnv({
    GOOGLE_CLIENT_ID: GOOGLE.clientId,
    GOOGLE_CLIENT_SECRET: GOOGLE.clientSecret,
    GITHUB_CLIENT_ID: GITHUB.clientId,
    GITHUB_CLIENT_SECRET: GITHUB.clientSecret,
    AUTHFORM_SOCIAL_LOOPBACK: `google=${google.origin},github=${github.origin}`,
    AUTHFORM_OAUTH_PROXY_SECRET: PROXY_SECRET,
    OAUTH_PROXY_TEST_STABLE_URL: stableUrl,
    OAUTH_PROXY_TEST_PREVIEWS: `http://localhost:${ports.preview}`,
  });
  const roles = Object.keys(stages) as Role[];
  await Promise.all(
    roles.map(async (role) => {
      stacks[role] = await startStack(stages[role], { port: ports[role], args: CONFIG, env });
      dbs[role] = await localD1File(APP, stages[role]);
    }),
  );
}, 120_000);

afterAll(async () => {
  for (const role of Object.keys(stages) as Role[]) {
    await stacks[role]?.stop();
  }
  await Promise.all([google?.close(), github?.close()]);
}, 120_000);

const count = async (role: Role, table: "user" | "session" | "account") =>
  (await querySqlite<{ n: number }>(dbs[role], `SELECT count(*) AS n FROM ${table}`))[0]?.n;

/** Users, sessions and accounts in every stack's D1: a refusal must change none of them. */
const rows = async () => {
  const all: Record<string, number | undefined> = {};
  for (const role of Object.keys(stages) as Role[]) {
    for (const table of ["user", "session", "account"] as const)
      all[`${role}.${table}`] = await count(role, table);
  }
  return all;
};

/** Starts a sign-in on `role` and walks it to the forward the stable stage sends back, without visiting it. */
async function forwardFor(role: Role): Promise<{ browser: SocialBrowser; forward: URL }> {
  const browser = new SocialBrowser(stacks[role].url);
  let next = new URL(await browser.start("google"));
  for (let hop = 0; hop < 12; hop++) {
    const res = await browser.send(loginAs("2001")(next).href);
    await res.arrayBuffer();
    const location = res.headers.get("location");
    if (!location) break;
    next = new URL(location, next);
    if (next.searchParams.has("profile")) return { browser, forward: next };
  }
  throw new Error(`no forward reached; the walk ended at ${next.href}`);
}

describe("the plan", () => {
  it("gives the preview the stable stage's callback URL, and the stable stage its allow-list", () => {
    const stable = stacks.stable.url;
    expect(stacks.preview.outputs.socialCallbacks).toEqual({
      google: `${stable}/auth/v1/callback/google`,
      github: `${stable}/auth/v1/callback/github`,
    });
    expect(stacks.preview.outputs.oauthProxy).toEqual({ role: "preview", stableUrl: stable });
    expect(stacks.stable.outputs.oauthProxy).toEqual({ role: "stable", stableUrl: stable });
    expect(stacks.preview.logs()).toContain(`through ${stable} (oauthProxy)`);
    expect(stacks.stable.logs()).toContain(`forwards social sign-ins to ${stacks.preview.url} (oauthProxy)`);
  });
});

describe("a sign-in on the preview through the stable stage", () => {
  it("lands signed in on the preview; the stable stage keeps no user", async () => {
    const before = await rows();
    const browser = new SocialBrowser(stacks.preview.url);
    const authorize = new URL(await browser.start("google"));
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${stacks.stable.url}/auth/v1/callback/google`);
    const { landed, hops } = await browser.follow(authorize.href, loginAs("2001"));
    const visited = hops.map((h) => new URL(h.url));
    expect(visited.some((u) => u.href.startsWith(`${stacks.stable.url}/auth/v1/callback/google?`))).toBe(
      true,
    );
    expect(
      visited.some(
        (u) => u.origin === stacks.preview.url && u.pathname === "/auth/v1/callback/google/oauth-proxy",
      ),
    ).toBe(true);
    expect(landed.href).toBe(`${stacks.preview.url}/account`);
    expect(await browser.sessionUser()).toMatchObject({ email: "pat@gmail.test", emailVerified: true });
    expect(await rows()).toEqual({
      ...before,
      "preview.user": (before["preview.user"] ?? 0) + 1,
      "preview.session": (before["preview.session"] ?? 0) + 1,
      "preview.account": (before["preview.account"] ?? 0) + 1,
    });
    // Signed in on the preview only: the stable stage's cookies hold no session.
    const onStable = await browser.send(`${stacks.stable.url}/auth/v1/get-session`);
    expect(await onStable.json()).toBeNull();
  });

  it("GitHub (plain OAuth 2, no id_token) goes through the stable stage the same way", async () => {
    github.signInAs({
      id: 601,
      login: "quinn",
      name: "Quinn",
      email: null,
      emails: [{ email: "quinn@example.org", primary: true, verified: true }],
    });
    const before = await rows();
    const browser = new SocialBrowser(stacks.preview.url);
    const authorize = new URL(await browser.start("github"));
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${stacks.stable.url}/auth/v1/callback/github`);
    const { landed } = await browser.follow(authorize.href);
    expect(landed.href).toBe(`${stacks.preview.url}/account`);
    expect(await browser.sessionUser()).toMatchObject({ email: "quinn@example.org", emailVerified: true });
    expect(await rows()).toEqual({
      ...before,
      "preview.user": (before["preview.user"] ?? 0) + 1,
      "preview.session": (before["preview.session"] ?? 0) + 1,
      "preview.account": (before["preview.account"] ?? 0) + 1,
    });
  });

  it("a second sign-in of the same person reuses the preview's user", async () => {
    const before = await rows();
    const browser = new SocialBrowser(stacks.preview.url);
    const { landed } = await browser.follow(await browser.start("google"), loginAs("2001"));
    expect(landed.href).toBe(`${stacks.preview.url}/account`);
    expect(await browser.sessionUser()).toMatchObject({ email: "pat@gmail.test" });
    expect(await rows()).toEqual({ ...before, "preview.session": (before["preview.session"] ?? 0) + 1 });
  });
});

describe("refusals, each a clean error that writes nothing", () => {
  it("a forward to an origin not on the allow-list is refused by the stable stage", async () => {
    const before = await rows();
    const browser = new SocialBrowser(stacks.lookalike.url);
    const { landed, hops } = await browser.follow(await browser.start("google"), loginAs("2001"));
    expect(`${landed.origin}${landed.pathname}`).toBe(`${stacks.stable.url}/login`);
    expect(landed.searchParams.get("error")).toBe("preview_origin_refused");
    // The sealed profile never left the stable stage.
    expect(hops.some((h) => h.url.startsWith(stacks.lookalike.url) && h.url.includes("profile="))).toBe(
      false,
    );
    expect(await browser.sessionUser()).toBeNull();
    expect(await rows()).toEqual(before);
  });

  it("a tampered forward is refused", async () => {
    const { browser, forward } = await forwardFor("preview");
    const before = await rows();
    const sealed = forward.searchParams.get("profile") as string;
    const flipped = sealed.slice(0, -6) + (sealed.at(-6) === "0" ? "1" : "0") + sealed.slice(-5);
    forward.searchParams.set("profile", flipped);
    const { landed } = await browser.follow(forward.href);
    expect(landed.pathname).toBe("/login");
    expect(landed.searchParams.get("error")).toBe("invalid_profile");
    expect(await browser.sessionUser()).toBeNull();
    expect(await rows()).toEqual(before);
  });

  it("a payload forged without the proxy secret is refused", async () => {
    const { browser, forward } = await forwardFor("preview");
    const before = await rows();
    const forged = {
      userInfo: { id: "6666", email: "mallory@gmail.test", name: "Mallory", emailVerified: true },
      account: { providerId: "google", accountId: "6666" },
      state: "whatever",
      callbackURL: `${stacks.preview.url}/account`,
      timestamp: Date.now(),
    };
    forward.searchParams.set(
      "profile",
      await symmetricEncrypt({ key: "a-guessed-secret", data: JSON.stringify(forged) }),
    );
    const { landed } = await browser.follow(forward.href);
    expect(landed.pathname).toBe("/login");
    expect(landed.searchParams.get("error")).toBe("invalid_profile");
    expect(await browser.sessionUser()).toBeNull();
    expect(await rows()).toEqual(before);
  });

  it("a forward opened in another browser (login CSRF) is refused, and still works where it started", async () => {
    const { browser, forward } = await forwardFor("preview");
    const before = await rows();
    const victim = new SocialBrowser(stacks.preview.url);
    const refused = await victim.follow(forward.href);
    expect(refused.landed.pathname).toBe("/login");
    expect(refused.landed.searchParams.get("error")).toBe("state_mismatch");
    expect(await victim.sessionUser()).toBeNull();
    expect(await rows()).toEqual(before);
    // The refusal came from the browser binding, not from a spent state: the starter completes.
    const { landed } = await browser.follow(forward.href);
    expect(landed.href).toBe(`${stacks.preview.url}/account`);
    expect(await browser.sessionUser()).toMatchObject({ email: "pat@gmail.test" });
  });

  it("a replayed forward is refused, even in the browser that completed it", async () => {
    const { browser, forward } = await forwardFor("preview");
    expect((await browser.follow(forward.href)).landed.href).toBe(`${stacks.preview.url}/account`);
    const before = await rows();
    const replay = await browser.follow(forward.href);
    expect(replay.landed.pathname).toBe("/login");
    expect(replay.landed.searchParams.get("error")).toBe("state_mismatch");
    expect(await rows()).toEqual(before);
  });

  it("a forward sent to the stable stage itself completes nothing there", async () => {
    const { forward } = await forwardFor("preview");
    const before = await rows();
    const atStable = new SocialBrowser(stacks.stable.url);
    const res = await atStable.send(`${stacks.stable.url}${forward.pathname}${forward.search}`);
    expect(res.status).toBe(404);
    expect(await atStable.sessionUser()).toBeNull();
    expect(await rows()).toEqual(before);
  });

  it("a forged state at the stable stage's callback is refused there", async () => {
    const before = await rows();
    const browser = new SocialBrowser(stacks.preview.url);
    const { landed } = await browser.follow(await browser.start("google"), (next) => {
      loginAs("2001")(next);
      if (next.origin === stacks.stable.url && next.pathname === "/auth/v1/callback/google")
        next.searchParams.set("state", "forged-state-0123456789");
      return next;
    });
    expect(`${landed.origin}${landed.pathname}`).toBe(`${stacks.stable.url}/login`);
    expect(landed.searchParams.get("error")).toBe("state_mismatch");
    expect(await browser.sessionUser()).toBeNull();
    expect(await rows()).toEqual(before);
  });
});
