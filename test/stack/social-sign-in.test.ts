/**
 * Social sign-in on workerd against real parts on loopback: panva's oidc-provider shaped as Google,
 * and a GitHub-shaped OAuth app host. Each round trip is driven over HTTP as a browser would
 * (redirects and cookies), and every refusal is checked for what it leaves behind in D1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GitHubStandIn, GitHubUser } from "../support/github-stand-in.ts";
import type { GoogleAccount, GoogleStandIn } from "../support/google-oidc-stand-in.ts";
import { localD1File } from "../support/local-d1.ts";
import { SocialBrowser } from "../support/social-browser.ts";
import { SOCIAL_APP, type SocialStack, startSocialStack } from "../support/social-stack.ts";
import { accountsOf, loginAs, userCount, verifiedUser } from "../support/social-users.ts";
import { querySqlite, type RunningStack, uniqueStage } from "../support/stack.ts";
import { Authenticator } from "../support/totp.ts";
import { signUpUser, TEST_PASSWORD } from "../support/users.ts";

const stage = uniqueStage("social");

const googleAccounts: GoogleAccount[] = [
  { sub: "1001", email: "carol@gmail.test", email_verified: true, name: "Carol" },
  // Matches a password user; the provider says the address is not verified, as a string.
  { sub: "1002", email: "frank@example.com", email_verified: "false", name: "Not Frank" },
];

let social: SocialStack;
let stack: RunningStack;
let google: GoogleStandIn;
let github: GitHubStandIn;
let db: string;

beforeAll(async () => {
  social = await startSocialStack(stage, googleAccounts);
  ({ stack, google, github } = social);
  db = await localD1File(SOCIAL_APP, stage);
});

afterAll(async () => {
  await social?.stop();
});

function githubUser(
  id: number,
  login: string,
  emails: GitHubUser["emails"],
  email: string | null = null,
): GitHubUser {
  return { id, login, name: login, email, emails };
}

describe("the run", () => {
  it("prints each provider's callback URL and writes it to .authform/<stage>.json", () => {
    expect(stack.outputs.socialCallbacks).toEqual({
      google: `${stack.url}/auth/v1/callback/google`,
      github: `${stack.url}/auth/v1/callback/github`,
    });
    expect(stack.logs()).toContain(`google  ${stack.url}/auth/v1/callback/google`);
  });
});

describe("Google (oidc-provider on loopback)", () => {
  it("serves Google's shape: discovery names Google's paths, PKCE only with S256", async () => {
    const discovery = (await (
      await fetch(`${google.origin}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery.authorization_endpoint).toBe(`${google.origin}/o/oauth2/v2/auth`);
    expect(discovery.token_endpoint).toBe(`${google.origin}/token`);
    expect(discovery.jwks_uri).toBe(`${google.origin}/oauth2/v3/certs`);
  });

  it("signs a new person in: PKCE at the provider, an id_token, a verified user and a session", async () => {
    const browser = new SocialBrowser(stack.url);
    const authorize = new URL(await browser.start("google"));
    expect(authorize.origin + authorize.pathname).toBe(`${google.origin}/o/oauth2/v2/auth`);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("scope")?.split(" ").sort()).toEqual(["email", "openid", "profile"]);

    const { landed, hops } = await browser.follow(authorize.href, loginAs("1001"));
    expect(hops.some((h) => h.url.startsWith(`${google.origin}/interaction/`))).toBe(true);
    expect(landed.href).toBe(`${stack.url}/account`);
    const user = await browser.sessionUser();
    expect(user).toMatchObject({ email: "carol@gmail.test", emailVerified: true });
    expect(await accountsOf(db, "carol@gmail.test")).toEqual([{ providerId: "google", accountId: "1001" }]);
  });

  it('an email_verified of "false" that matches a verified password user takes nothing over', async () => {
    const frank = await verifiedUser(stack, stage, db, "Frank");
    const before = await userCount(db);
    const browser = new SocialBrowser(stack.url);
    const { landed } = await browser.follow(await browser.start("google"), loginAs("1002"));
    expect(landed.pathname).toBe("/login");
    expect(landed.searchParams.get("error")).toBe("account_not_linked");
    expect(await browser.sessionUser()).toBeNull();
    expect(await accountsOf(db, frank.email)).toEqual([{ providerId: "credential", accountId: frank.id }]);
    expect(await userCount(db)).toBe(before);
  });

  it("a token endpoint answering 500 ends on /login with an error, and creates no user", async () => {
    const before = await userCount(db);
    google.failNext("/token");
    const browser = new SocialBrowser(stack.url);
    const { landed } = await browser.follow(await browser.start("google"), loginAs("1001"));
    expect(landed.pathname).toBe("/login");
    expect(landed.searchParams.get("error")).toBe("invalid_code");
    expect(await browser.sessionUser()).toBeNull();
    expect(await userCount(db)).toBe(before);
  });
});

describe("GitHub (a GitHub-shaped stand-in on loopback)", () => {
  it("signs a person with a private email in: the verified primary address from /user/emails", async () => {
    github.signInAs(
      githubUser(501, "grace", [
        { email: "grace-old@example.org", primary: false, verified: false },
        { email: "grace@example.org", primary: true, verified: true },
      ]),
    );
    const browser = new SocialBrowser(stack.url);
    const authorize = new URL(await browser.start("github"));
    expect(authorize.origin + authorize.pathname).toBe(`${github.origin}/login/oauth/authorize`);
    expect(authorize.searchParams.get("scope")?.split(" ")).toEqual(["read:user", "user:email", "read:org"]);
    const { landed } = await browser.follow(authorize.href);
    expect(landed.href).toBe(`${stack.url}/account`);
    expect(await browser.sessionUser()).toMatchObject({ email: "grace@example.org", emailVerified: true });
    expect(await accountsOf(db, "grace@example.org")).toEqual([{ providerId: "github", accountId: "501" }]);
    expect(github.calls).toEqual(
      expect.arrayContaining(["POST /login/oauth/access_token", "GET /user", "GET /user/emails"]),
    );
  });

  it("a verified address that matches a password user who never verified it is not linked (no pre-registered takeover)", async () => {
    const mallory = await signUpUser(stack.url, "Olivia");
    github.signInAs(githubUser(507, "olivia", [{ email: mallory.email, primary: true, verified: true }]));
    const browser = new SocialBrowser(stack.url);
    const { landed } = await browser.follow(await browser.start("github"));
    expect(landed.pathname).toBe("/login");
    expect(landed.searchParams.get("error")).toBe("account_not_linked");
    expect(await browser.sessionUser()).toBeNull();
    expect(await accountsOf(db, mallory.email)).toEqual([
      { providerId: "credential", accountId: mallory.id },
    ]);
  });

  it("a verified address that matches a verified password user links to that user", async () => {
    const heidi = await verifiedUser(stack, stage, db, "Heidi");
    github.signInAs(githubUser(502, "heidi", [{ email: heidi.email, primary: true, verified: true }]));
    const browser = new SocialBrowser(stack.url);
    const { landed } = await browser.follow(await browser.start("github"));
    expect(landed.href).toBe(`${stack.url}/account`);
    expect((await browser.sessionUser())?.id).toBe(heidi.id);
    expect(await accountsOf(db, heidi.email)).toEqual([
      { providerId: "credential", accountId: heidi.id },
      { providerId: "github", accountId: "502" },
    ]);
  });

  it("an account with two-factor on is asked for the second factor after the provider: no session until the app's code", async () => {
    const judy = await verifiedUser(stack, stage, db, "Judy");
    const enabled = await judy.browser.post("/auth/v1/two-factor/enable", { password: TEST_PASSWORD });
    const { totpURI } = (await enabled.json()) as { totpURI: string };
    const app = Authenticator.fromBase32(new URL(totpURI).searchParams.get("secret") ?? "");
    expect(
      (await judy.browser.post("/auth/v1/two-factor/verify-totp", { code: await app.nextCode() })).status,
    ).toBe(200);
    github.signInAs(githubUser(510, "judy", [{ email: judy.email, primary: true, verified: true }]));
    const browser = new SocialBrowser(stack.url);
    const { landed } = await browser.follow(await browser.start("github"));
    expect(landed.pathname).toBe("/login");
    expect(landed.searchParams.get("second-factor")).toBe("1");
    expect(landed.searchParams.get("redirect")).toBe("/account");
    expect(await browser.sessionUser()).toBeNull();
    const verified = await browser.send(`${stack.url}/auth/v1/two-factor/verify-totp`, {
      method: "POST",
      json: { code: await app.nextCode() },
    });
    expect(verified.status).toBe(200);
    expect((await browser.sessionUser())?.id).toBe(judy.id);
  });

  it("an unverified address that matches a verified password user: not linked, no session for that user", async () => {
    const ivan = await verifiedUser(stack, stage, db, "Ivan");
    const before = await userCount(db);
    github.signInAs(
      githubUser(503, "not-ivan", [{ email: ivan.email, primary: true, verified: false }], ivan.email),
    );
    const browser = new SocialBrowser(stack.url);
    const { landed } = await browser.follow(await browser.start("github"));
    expect(landed.pathname).toBe("/login");
    expect(landed.searchParams.get("error")).toBe("account_not_linked");
    expect(await browser.sessionUser()).toBeNull();
    expect(await accountsOf(db, ivan.email)).toEqual([{ providerId: "credential", accountId: ivan.id }]);
    expect(await userCount(db)).toBe(before);
  });

  it("a forged state is refused cleanly and creates no user", async () => {
    github.signInAs(githubUser(504, "judy", [{ email: "judy@example.org", primary: true, verified: true }]));
    const before = await userCount(db);
    const browser = new SocialBrowser(stack.url);
    const { landed } = await browser.follow(await browser.start("github"), (next) => {
      if (next.pathname === "/auth/v1/callback/github") next.searchParams.set("state", "forged-state-value");
      return next;
    });
    expect(landed.pathname).toBe("/login");
    expect(landed.searchParams.get("error")).toMatch(/^state_/);
    expect(await browser.sessionUser()).toBeNull();
    expect(await userCount(db)).toBe(before);
  });

  it("a replayed callback is refused, for the same browser and for another", async () => {
    github.signInAs(githubUser(505, "ken", [{ email: "ken@example.org", primary: true, verified: true }]));
    const browser = new SocialBrowser(stack.url);
    const { hops } = await browser.follow(await browser.start("github"));
    const callback = hops.find((h) => h.url.startsWith(`${stack.url}/auth/v1/callback/github?`))
      ?.url as string;
    expect(callback).toContain("code=");
    expect((await browser.sessionUser())?.email).toBe("ken@example.org");
    const sessions = async () =>
      (
        await querySqlite<{ n: number }>(
          db,
          "SELECT count(*) AS n FROM session s JOIN user u ON u.id = s.userId WHERE u.email = 'ken@example.org'",
        )
      )[0]?.n;
    const before = await sessions();

    for (const replayer of [browser, new SocialBrowser(stack.url)]) {
      const { landed } = await replayer.follow(callback);
      expect(landed.pathname).toBe("/login");
      expect(landed.searchParams.get("error")).toMatch(/^state_/);
    }
    expect(await sessions()).toBe(before);
  });

  it("GitHub answering 500 on the token exchange ends on /login with an error, and creates no user", async () => {
    github.signInAs(githubUser(506, "leo", [{ email: "leo@example.org", primary: true, verified: true }]));
    const before = await userCount(db);
    github.failNext("/login/oauth/access_token");
    const browser = new SocialBrowser(stack.url);
    const { landed } = await browser.follow(await browser.start("github"));
    expect(landed.pathname).toBe("/login");
    expect(landed.searchParams.get("error")).toBe("invalid_code");
    expect(await browser.sessionUser()).toBeNull();
    expect(await userCount(db)).toBe(before);
    expect(await accountsOf(db, "leo@example.org")).toEqual([]);
  });
});

describe("unlinking on a stack without email sign-in (worker/auth/unlink-guard.ts)", () => {
  it("a verified address does not count as a way in: the only GitHub account stays", async () => {
    github.signInAs(githubUser(511, "mia", [{ email: "mia@example.org", primary: true, verified: true }]));
    const browser = new SocialBrowser(stack.url);
    await browser.follow(await browser.start("github"));
    expect(await browser.sessionUser()).toMatchObject({ email: "mia@example.org", emailVerified: true });
    const [account] = (await (await browser.send(`${stack.url}/auth/v1/list-accounts`)).json()) as {
      id: string;
    }[];
    const res = await browser.send(`${stack.url}/auth/v1/unlink-account`, {
      method: "POST",
      json: { accountId: account?.id },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code?: string }).code).toBe("LAST_WAY_TO_SIGN_IN");
    expect(await accountsOf(db, "mia@example.org")).toEqual([{ providerId: "github", accountId: "511" }]);
  });
});
