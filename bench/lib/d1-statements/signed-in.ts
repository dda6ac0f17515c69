/** A user of the bench: signs up and in over plain HTTP, uncounted, for the steps that need a session. */
import { randomBytes } from "node:crypto";
import { cookieHeader, expectOk, postJson, type Timed } from "../http.ts";

export interface Credentials {
  name: string;
  email: string;
  password: string;
}

export function newCredentials(prefix: string): Credentials {
  return {
    name: "Counted",
    email: `${prefix}-${randomBytes(4).toString("hex")}@example.com`,
    password: "correct horse battery staple",
  };
}

/** The session cookie a sign-in (or sign-up, upgrade, verify) response sets. */
export function sessionCookie(label: string, r: Timed): string {
  const cookie = cookieHeader(r.headers);
  if (!cookie.includes("session_token"))
    throw new Error(`${label}: no session cookie in ${r.headers.getSetCookie().join(" | ") || "nothing"}`);
  return cookie;
}

/** Signs in with email + password (uncounted) and returns the new session's cookie. */
export async function signIn(base: string, user: Credentials): Promise<string> {
  const r = expectOk(
    "sign-in",
    await postJson(base, "/auth/v1/sign-in/email", { email: user.email, password: user.password }),
  );
  return sessionCookie("sign-in", r);
}
