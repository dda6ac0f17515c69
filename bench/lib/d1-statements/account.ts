/**
 * Email + password and the signed-in user's own account: sign-up, sign-in, session reads, the
 * /api/v1 identity routes, profile and password changes, linked accounts.
 */
import { timed } from "../http.ts";
import { expectThat, jsonOf, type RouteCounter } from "./route-counter.ts";
import { type Credentials, sessionCookie } from "./signed-in.ts";

interface UserBody {
  user: { id: string; email: string; name: string };
}

/** A signed-in user the later areas act as. */
export interface SignedInUser {
  credentials: Credentials;
  userId: string;
  cookie: string;
}

export async function countAccountRoutes(
  counter: RouteCounter,
  credentials: Credentials,
): Promise<SignedInUser> {
  const signUp = await counter.post("POST /auth/v1/sign-up/email", "/auth/v1/sign-up/email", credentials);
  const userId = jsonOf<UserBody>(signUp).user.id;
  expectThat("sign-up", jsonOf<UserBody>(signUp).user.email === credentials.email, "the new user", signUp);

  const signIn = await counter.post("POST /auth/v1/sign-in/email", "/auth/v1/sign-in/email", {
    email: credentials.email,
    password: credentials.password,
  });
  expectThat("sign-in", jsonOf<UserBody>(signIn).user.id === userId, "the same user", signIn);
  let cookie = sessionCookie("sign-in", signIn);
  const bearer = signIn.headers.get("set-auth-token");

  const session = await counter.get("GET /auth/v1/get-session", "/auth/v1/get-session", { cookie });
  expectThat("get-session", jsonOf<UserBody>(session).user.id === userId, "the signed-in user", session);
  const sessions = await counter.get("GET /auth/v1/list-sessions", "/auth/v1/list-sessions", { cookie });
  // Sign-up signs in too: its session and the sign-in's.
  expectThat("list-sessions", jsonOf<unknown[]>(sessions).length === 2, "two sessions", sessions);

  const me = await counter.get("GET /api/v1/me (cookie)", "/api/v1/me", { cookie });
  expectThat("me", jsonOf<{ userId: string }>(me).userId === userId, "the signed-in user", me);
  if (bearer) {
    const fast = await counter.get("GET /api/v1/me (fast-path JWT)", "/api/v1/me", {
      authorization: `Bearer ${bearer}`,
    });
    expectThat("me (JWT)", jsonOf<{ userId: string }>(fast).userId === userId, "the signed-in user", fast);
  }
  const token = await counter.post("POST /api/v1/token", "/api/v1/token", {}, { cookie });
  expectThat("token", typeof jsonOf<{ token?: string }>(token).token === "string", "a token", token);

  const renamed = await counter.post(
    "POST /auth/v1/update-user",
    "/auth/v1/update-user",
    { name: "Counted Renamed" },
    { cookie },
  );
  const after = jsonOf<UserBody>(await timed(counter.base, "/auth/v1/get-session", { headers: { cookie } }));
  expectThat("update-user", after.user.name === "Counted Renamed", "the new name on the session", renamed);

  const accounts = await counter.get("GET /auth/v1/list-accounts", "/auth/v1/list-accounts", { cookie });
  const providers = jsonOf<{ providerId: string }[]>(accounts).map((a) => a.providerId);
  expectThat("list-accounts", providers.includes("credential"), "the password account", accounts);

  // authform ends the other sessions on a password change (revoke-on-password-change.ts) and
  // hands back a new session for this browser.
  const newPassword = `${credentials.password} again`;
  const changed = await counter.post(
    "POST /auth/v1/change-password",
    "/auth/v1/change-password",
    { currentPassword: credentials.password, newPassword },
    { cookie },
  );
  expectThat("change-password", jsonOf<UserBody>(changed).user.id === userId, "the same user", changed);
  cookie = sessionCookie("change-password", changed);
  return { credentials: { ...credentials, password: newPassword }, userId, cookie };
}
