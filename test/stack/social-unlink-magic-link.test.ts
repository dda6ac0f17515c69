/**
 * The unlink rule's magic-link branch (worker/auth/unlink-guard.ts): on a stack whose only
 * email sign-in is magicLink, a verified address may drop its only social account and signs in by
 * the emailed link; an unverified one may not. With passwords off, a password row left from an
 * earlier config counts for nothing. The other branches: test/stack/social-linking.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GitHubUser } from "../support/github-stand-in.ts";
import { localD1File } from "../support/local-d1.ts";
import { lastEmailSeq, linkIn, waitForEmail } from "../support/outbox.ts";
import { SocialBrowser } from "../support/social-browser.ts";
import { type SocialStack, startSocialStack } from "../support/social-stack.ts";
import { querySqlite, uniqueStage } from "../support/stack.ts";

const stage = uniqueStage("social-magic");
let social: SocialStack;

beforeAll(async () => {
  social = await startSocialStack(stage, [], "test/fixtures/social-magic-link.config.ts");
});

afterAll(async () => {
  await social?.stop();
});

const githubUser = (id: number, email: string, verified: boolean): GitHubUser => ({
  id,
  login: `user${id}`,
  name: `User ${id}`,
  email: null,
  emails: [{ email, primary: true, verified }],
});

async function signInWithGitHub(user: GitHubUser): Promise<SocialBrowser> {
  social.github.signInAs(user);
  const browser = new SocialBrowser(social.stack.url);
  const { landed } = await browser.follow(await browser.start("github"));
  expect(landed.pathname).toBe("/account");
  return browser;
}

async function unlinkGitHub(browser: SocialBrowser) {
  const list = (await (await browser.send(`${social.stack.url}/auth/v1/list-accounts`)).json()) as {
    id: string;
    providerId: string;
  }[];
  expect(list.map((a) => a.providerId)).toEqual(["github"]);
  const res = await browser.send(`${social.stack.url}/auth/v1/unlink-account`, {
    method: "POST",
    json: { accountId: list[0]?.id },
  });
  return { status: res.status, code: ((await res.json()) as { code?: string }).code };
}

describe("unlink with magicLink as the email sign-in", () => {
  it("an unverified address: the only GitHub account stays", async () => {
    const browser = await signInWithGitHub(githubUser(1101, "nell@example.org", false));
    expect(await unlinkGitHub(browser)).toEqual({ status: 400, code: "LAST_WAY_TO_SIGN_IN" });
  });

  it("with emailAndPassword off, a password left from an earlier config is no way in", async () => {
    const browser = await signInWithGitHub(githubUser(1103, "pia@example.org", false));
    const id = (await browser.sessionUser())?.id as string;
    // As a stage that had passwords on before this config would hold it.
    const db = await localD1File("social-magic-link-test", stage);
    await querySqlite(
      db,
      `INSERT INTO account (id, accountId, providerId, userId, password, updatedAt) VALUES ('old-password-${id}', '${id}', 'credential', '${id}', 'salt:hash', ${Date.now()})`,
    );
    const list = (await (await browser.send(`${social.stack.url}/auth/v1/list-accounts`)).json()) as {
      id: string;
      providerId: string;
    }[];
    const github = list.find((a) => a.providerId === "github");
    const res = await browser.send(`${social.stack.url}/auth/v1/unlink-account`, {
      method: "POST",
      json: { accountId: github?.id },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code?: string }).code).toBe("LAST_WAY_TO_SIGN_IN");
  });

  it("a verified address: the only GitHub account may go, and the emailed link signs in", async () => {
    const browser = await signInWithGitHub(githubUser(1102, "otis@example.org", true));
    const id = (await browser.sessionUser())?.id;
    expect((await unlinkGitHub(browser)).status).toBe(200);

    const after = await lastEmailSeq(stage);
    const fresh = new SocialBrowser(social.stack.url);
    const sent = await fresh.send(`${social.stack.url}/auth/v1/sign-in/magic-link`, {
      method: "POST",
      json: { email: "otis@example.org", callbackURL: "/account" },
    });
    expect(sent.status).toBe(200);
    const link = linkIn(
      await waitForEmail(stage, "otis@example.org", { after }),
      "/auth/v1/magic-link/verify",
    );
    const { landed } = await fresh.follow(link);
    expect(landed.pathname).toBe("/account");
    expect((await fresh.sessionUser())?.id).toBe(id);
  });
});
