/** Ending sessions: one other session, all the others, this one (sign-out), and all of them. */
import { type Timed, timed } from "../http.ts";
import type { SignedInUser } from "./account.ts";
import { expectThat, jsonOf, type RouteCounter } from "./route-counter.ts";
import { signIn } from "./signed-in.ts";

function getSession(counter: RouteCounter, cookie: string): Promise<Timed> {
  return timed(counter.base, "/auth/v1/get-session", { headers: { cookie } });
}

/** True when the cookie no longer signs anyone in (get-session answers null). */
async function signedOut(counter: RouteCounter, cookie: string): Promise<boolean> {
  return (await getSession(counter, cookie)).body === "null";
}

export async function countSessionEndRoutes(counter: RouteCounter, user: SignedInUser): Promise<void> {
  const { base } = counter;
  const { cookie } = user;
  // Two more browsers, signed in with the changed password (which proves change-password took).
  const other = await signIn(base, user.credentials);
  const third = await signIn(base, user.credentials);
  const otherToken = jsonOf<{ session: { token: string } }>(await getSession(counter, other)).session.token;

  const revoked = await counter.post(
    "POST /auth/v1/revoke-session",
    "/auth/v1/revoke-session",
    { token: otherToken },
    { cookie },
  );
  expectThat("revoke-session", await signedOut(counter, other), "the other browser signed out", revoked);

  const others = await counter.post(
    "POST /auth/v1/revoke-other-sessions",
    "/auth/v1/revoke-other-sessions",
    {},
    { cookie },
  );
  expectThat(
    "revoke-other-sessions",
    await signedOut(counter, third),
    "the third browser signed out",
    others,
  );
  expectThat("revoke-other-sessions", !(await signedOut(counter, cookie)), "this browser still signed in");

  const out = await counter.post("POST /auth/v1/sign-out", "/auth/v1/sign-out", {}, { cookie });
  expectThat("sign-out", await signedOut(counter, cookie), "this browser signed out", out);

  const first = await signIn(base, user.credentials);
  const second = await signIn(base, user.credentials);
  const all = await counter.post(
    "POST /auth/v1/revoke-sessions",
    "/auth/v1/revoke-sessions",
    {},
    {
      cookie: first,
    },
  );
  expectThat("revoke-sessions", await signedOut(counter, second), "every browser signed out", all);
  expectThat("revoke-sessions", await signedOut(counter, first), "this browser signed out too");
}
