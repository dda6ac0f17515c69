/** What the social sign-in tests ask of a stack and its D1: who signs in at a stand-in, who is there, how they got in. */
import { expect } from "vitest";
import { lastEmailSeq, linkIn, waitForEmail } from "./outbox.ts";
import { querySqlite } from "./stack.ts";
import { signUpUser, type TestUser } from "./users.ts";

/** Signs in at an oidc-provider stand-in (Google-, Microsoft-shaped or plain) as `sub` when its login page comes up. */
export const loginAs = (sub: string) => (next: URL) => {
  if (next.pathname.startsWith("/interaction/")) next.searchParams.set("login", sub);
  return next;
};

/** How many users the stage's D1 holds. */
export const userCount = async (db: string) =>
  (await querySqlite<{ n: number }>(db, "SELECT count(*) AS n FROM user"))[0]?.n;

/** The provider accounts of the user with this address, by provider. */
export const accountsOf = (db: string, email: string) =>
  querySqlite<{ providerId: string; accountId: string }>(
    db,
    `SELECT a.providerId, a.accountId FROM account a JOIN user u ON u.id = a.userId WHERE u.email = '${email}' ORDER BY a.providerId`,
  );

/** A password user who verified their address through the emailed link, as a person would. */
export async function verifiedUser(
  stack: { url: string },
  stage: string,
  db: string,
  name: string,
): Promise<TestUser> {
  const user = await signUpUser(stack.url, name);
  const after = await lastEmailSeq(stage);
  const sent = await user.browser.post("/auth/v1/send-verification-email", { email: user.email });
  expect(sent.status).toBe(200);
  const link = linkIn(await waitForEmail(stage, user.email, { after }), "verify-email");
  expect((await fetch(link, { redirect: "manual" })).status).toBeLessThan(400);
  const [row] = await querySqlite<{ emailVerified: number }>(
    db,
    `SELECT emailVerified FROM user WHERE id = '${user.id}'`,
  );
  expect(row?.emailVerified).toBe(1);
  return user;
}
