/**
 * Apple, Microsoft, Discord and a generic OpenID provider on workerd against stand-ins on loopback:
 * an Apple-shaped host (form_post back from its origin, a client secret JWT it verifies); panva's
 * oidc-provider shaped as Microsoft's v2.0 endpoints (tenant in the path, oid/tid, email verified
 * only through verified_primary_email) and as a plain OP found by discovery (genericOAuth: PKCE,
 * nonce, a signed id_token); a Discord-shaped OAuth2 host (/users/@me with `verified`). Driven over
 * HTTP as a browser would; every refusal is checked for what it leaves behind in D1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppleStandIn, AppleUser } from "../support/apple-stand-in.ts";
import type { DiscordStandIn, DiscordUser } from "../support/discord-stand-in.ts";
import { localD1File } from "../support/local-d1.ts";
import type { MicrosoftAccount } from "../support/microsoft-oidc-stand-in.ts";
import { MORE_SOCIAL_APP, type MoreSocialStack, startMoreSocialStack } from "../support/more-social-stack.ts";
import type { OidcStandIn } from "../support/oidc-stand-in.ts";
import { SocialBrowser } from "../support/social-browser.ts";
import { accountsOf, loginAs, userCount, verifiedUser } from "../support/social-users.ts";
import { type RunningStack, uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("more-social");
const CONSUMER_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";

const microsoftAccounts: MicrosoftAccount[] = [
  {
    sub: "ms-sub-1",
    oid: "00000000-0000-0000-0000-00000000aaaa",
    tid: CONSUMER_TENANT,
    email: "ivan@outlook.test",
    name: "Ivan",
    preferred_username: "ivan@outlook.test",
    verified_primary_email: ["ivan@outlook.test"],
  },
];
const acmeAccounts = [
  { sub: "acme-1", email: "kim@acme.test", email_verified: true, name: "Kim" },
  { sub: "acme-2", email: "lee@acme.test", email_verified: false, name: "Lee" },
];

let social: MoreSocialStack;
let stack: RunningStack;
let apple: AppleStandIn;
let microsoft: OidcStandIn;
let discord: DiscordStandIn;
let acme: OidcStandIn;
let db: string;

beforeAll(async () => {
  social = await startMoreSocialStack(stage, { microsoft: microsoftAccounts, acme: acmeAccounts });
  ({ stack, apple, microsoft, discord, acme } = social);
  db = await localD1File(MORE_SOCIAL_APP, stage);
}, 120_000);

afterAll(async () => {
  await social?.stop();
});

const discordUser = (id: string, email: string, verified: boolean): DiscordUser => ({
  id,
  username: email.split("@")[0] as string,
  global_name: null,
  email,
  verified,
});

describe("the run", () => {
  it("prints each provider's callback URL, the generic one's too, and writes them to .authform/<stage>.json", () => {
    expect(stack.outputs.socialCallbacks).toEqual({
      apple: `${stack.url}/auth/v1/callback/apple`,
      microsoft: `${stack.url}/auth/v1/callback/microsoft`,
      discord: `${stack.url}/auth/v1/callback/discord`,
      "acme-idp": `${stack.url}/auth/v1/callback/acme-idp`,
    });
    expect(stack.logs()).toContain(`acme-idp  ${stack.url}/auth/v1/callback/acme-idp`);
  });
});

/**
 * Apple's answer: its page's form, POSTed to the stack from Apple's origin. With the browser's
 * cookies, as a stack whose cookies are SameSite=None gets them: the origin check must let it through.
 */
async function postAppleForm(browser: SocialBrowser, authorizeUrl: string): Promise<Response> {
  const page = await (await fetch(authorizeUrl)).text();
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1] ?? "";
  const fields = new URLSearchParams();
  for (const [, name, value] of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(name as string, (value as string).replace(/&quot;/g, '"').replace(/&amp;/g, "&"));
  }
  expect(action).toBe(`${stack.url}/auth/v1/callback/apple`);
  return fetch(action, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: apple.origin,
      cookie: browser.jar.headerFor(action) ?? "",
    },
    body: fields,
    redirect: "manual",
  });
}

const appleUser = (sub: string, email: string, verified: AppleUser["email_verified"]): AppleUser => ({
  sub,
  email,
  email_verified: verified,
  firstName: "Quinn",
  lastName: "Appleseed",
});

describe("Apple (form_post, a client secret JWT)", () => {
  it("signs a person in: Apple's form POSTed back, the name from its first `user`, the verified email", async () => {
    apple.signInAs(appleUser("001234.apple", "quinn@privaterelay.appleid.test", "true"));
    const browser = new SocialBrowser(stack.url);
    const authorize = new URL(await browser.start("apple"));
    expect(authorize.origin + authorize.pathname).toBe(`${apple.origin}/auth/authorize`);
    expect(authorize.searchParams.get("response_mode")).toBe("form_post");
    expect(authorize.searchParams.get("response_type")).toBe("code id_token");
    const posted = await postAppleForm(browser, authorize.href);
    // Better Auth turns the POST into a GET of the same callback, where the browser's cookies come along.
    expect(posted.status).toBe(302);
    const next = new URL(posted.headers.get("location") ?? "");
    expect(next.pathname).toBe("/auth/v1/callback/apple");
    const { landed } = await browser.follow(next.href);
    expect(landed.href).toBe(`${stack.url}/account`);
    expect(await browser.sessionUser()).toMatchObject({
      email: "quinn@privaterelay.appleid.test",
      emailVerified: true,
      name: "Quinn Appleseed",
    });
    expect(await accountsOf(db, "quinn@privaterelay.appleid.test")).toEqual([
      { providerId: "apple", accountId: "001234.apple" },
    ]);
    // The code was exchanged with the client secret JWT, which the stand-in verified.
    expect(apple.calls).toContain("POST /auth/token");
  });

  it('an email_verified of "false" that matches a verified password user takes nothing over', async () => {
    const rita = await verifiedUser(stack, stage, db, "Rita");
    apple.signInAs(appleUser("005678.apple", rita.email, "false"));
    const before = await userCount(db);
    const browser = new SocialBrowser(stack.url);
    const posted = await postAppleForm(browser, await browser.start("apple"));
    const { landed } = await browser.follow(new URL(posted.headers.get("location") ?? "", stack.url).href);
    expect(landed.pathname).toBe("/login");
    expect(landed.searchParams.get("error")).toBe("account_not_linked");
    expect(await browser.sessionUser()).toBeNull();
    expect(await accountsOf(db, rita.email)).toEqual([{ providerId: "credential", accountId: rita.id }]);
    expect(await userCount(db)).toBe(before);
  });
});

describe("Microsoft (oidc-provider shaped as the v2.0 endpoints)", () => {
  it("signs a person in through the tenant's endpoints: PKCE, oid as the account id, the verified email", async () => {
    const browser = new SocialBrowser(stack.url);
    const authorize = new URL(await browser.start("microsoft"));
    expect(authorize.origin + authorize.pathname).toBe(`${microsoft.origin}/common/oauth2/v2.0/authorize`);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    const { landed } = await browser.follow(authorize.href, loginAs("ms-sub-1"));
    expect(landed.href).toBe(`${stack.url}/account`);
    expect(await browser.sessionUser()).toMatchObject({ email: "ivan@outlook.test", emailVerified: true });
    expect(await accountsOf(db, "ivan@outlook.test")).toEqual([
      { providerId: "microsoft", accountId: "00000000-0000-0000-0000-00000000aaaa" },
    ]);
    // The token at the tenant's endpoint, and Graph's photo (none: a 404 the sign-in shrugs off).
    expect(microsoft.calls).toEqual(
      expect.arrayContaining(["/common/oauth2/v2.0/token", "/v1.0/me/photos/48x48/$value"]),
    );
  });

  it("an email Microsoft did not verify that matches a verified password user takes nothing over", async () => {
    const mia = await verifiedUser(stack, stage, db, "Mia");
    // A work account whose mail attribute an admin typed in: no verified_primary_email.
    microsoftAccounts.push({
      sub: "ms-sub-2",
      oid: "00000000-0000-0000-0000-00000000bbbb",
      tid: "72f988bf-86f1-41af-91ab-2d7cd011db47",
      email: mia.email,
      name: "Not Mia",
      preferred_username: "attacker@contoso.test",
    });
    const before = await userCount(db);
    const browser = new SocialBrowser(stack.url);
    const { landed } = await browser.follow(await browser.start("microsoft"), loginAs("ms-sub-2"));
    expect(landed.pathname).toBe("/login");
    expect(landed.searchParams.get("error")).toBe("account_not_linked");
    expect(await browser.sessionUser()).toBeNull();
    expect(await accountsOf(db, mia.email)).toEqual([{ providerId: "credential", accountId: mia.id }]);
    expect(await userCount(db)).toBe(before);
  });
});

describe("Discord (a Discord-shaped stand-in)", () => {
  it("signs a person in: identify + email scopes, /users/@me, the verified flag read as verified", async () => {
    discord.signInAs(discordUser("80351110224678912", "nell@discord.test", true));
    const browser = new SocialBrowser(stack.url);
    const authorize = new URL(await browser.start("discord"));
    expect(authorize.origin + authorize.pathname).toBe(`${discord.origin}/api/oauth2/authorize`);
    expect(authorize.searchParams.get("scope")?.split(" ")).toEqual(["identify", "email"]);
    const { landed } = await browser.follow(authorize.href);
    expect(landed.href).toBe(`${stack.url}/account`);
    expect(await browser.sessionUser()).toMatchObject({ email: "nell@discord.test", emailVerified: true });
    expect(await accountsOf(db, "nell@discord.test")).toEqual([
      { providerId: "discord", accountId: "80351110224678912" },
    ]);
    expect(discord.calls).toEqual(expect.arrayContaining(["POST /api/oauth2/token", "GET /api/users/@me"]));
  });

  it("an unverified Discord email that matches a verified password user is refused, and creates nothing", async () => {
    const otto = await verifiedUser(stack, stage, db, "Otto");
    discord.signInAs(discordUser("80351110224678913", otto.email, false));
    const before = await userCount(db);
    const browser = new SocialBrowser(stack.url);
    const { landed } = await browser.follow(await browser.start("discord"));
    expect(landed.pathname).toBe("/login");
    expect(landed.searchParams.get("error")).toBe("account_not_linked");
    expect(await browser.sessionUser()).toBeNull();
    expect(await accountsOf(db, otto.email)).toEqual([{ providerId: "credential", accountId: otto.id }]);
    expect(await userCount(db)).toBe(before);
  });

  it("an unverified Discord email matching nobody signs up unverified (nothing to take over)", async () => {
    discord.signInAs(discordUser("80351110224678914", "pia@discord.test", false));
    const browser = new SocialBrowser(stack.url);
    const { landed } = await browser.follow(await browser.start("discord"));
    expect(landed.href).toBe(`${stack.url}/account`);
    expect(await browser.sessionUser()).toMatchObject({ email: "pia@discord.test", emailVerified: false });
  });
});

describe("genericOAuth (oidc-provider as a plain OpenID provider, by discovery)", () => {
  it("signs a person in: discovery's endpoints, PKCE, a nonce bound to the verified id_token", async () => {
    const browser = new SocialBrowser(stack.url);
    const authorize = new URL(await browser.start("acme-idp"));
    expect(authorize.origin + authorize.pathname).toBe(`${acme.origin}/auth`);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("nonce")).toBeTruthy();
    expect(authorize.searchParams.get("scope")?.split(" ")).toEqual(["openid", "email", "profile"]);
    const { landed } = await browser.follow(authorize.href, loginAs("acme-1"));
    expect(landed.href).toBe(`${stack.url}/account`);
    expect(await browser.sessionUser()).toMatchObject({
      email: "kim@acme.test",
      emailVerified: true,
      name: "Kim",
    });
    expect(await accountsOf(db, "kim@acme.test")).toEqual([{ providerId: "acme-idp", accountId: "acme-1" }]);
    expect(acme.calls).toEqual(
      expect.arrayContaining(["/.well-known/openid-configuration", "/token", "/jwks"]),
    );
  });

  it("a forged state ends on /login with an error and no session", async () => {
    const browser = new SocialBrowser(stack.url);
    const authorize = new URL(await browser.start("acme-idp"));
    authorize.searchParams.set("state", "forged-state-value");
    const { landed } = await browser.follow(authorize.href, loginAs("acme-1"));
    expect(landed.pathname).toBe("/login");
    expect(landed.searchParams.get("error")).toBeTruthy();
    expect(await browser.sessionUser()).toBeNull();
  });

  it("an unverified email that matches a verified password user takes nothing over", async () => {
    const lee = await verifiedUser(stack, stage, db, "Lee");
    const account = acmeAccounts[1] as (typeof acmeAccounts)[number];
    account.email = lee.email;
    const before = await userCount(db);
    const browser = new SocialBrowser(stack.url);
    const { landed } = await browser.follow(await browser.start("acme-idp"), loginAs("acme-2"));
    expect(landed.pathname).toBe("/login");
    expect(landed.searchParams.get("error")).toBe("account_not_linked");
    expect(await browser.sessionUser()).toBeNull();
    expect(await accountsOf(db, lee.email)).toEqual([{ providerId: "credential", accountId: lee.id }]);
    expect(await userCount(db)).toBe(before);
  });

  it("/login offers each provider with its label, the generic one by its name", async () => {
    const page = await (await fetch(`${stack.url}/login`)).text();
    for (const label of ["Microsoft", "Discord", "Acme SSO"]) expect(page).toContain(label);
  });
});
