/**
 * The account behind a pending two-factor sign-in: Better Auth's signed `two_factor` cookie names a
 * verification row whose value is the user's id. Read here, before Better Auth runs, so the
 * per-account limit can count a guess at the second factor whatever address it comes from.
 */
import type { Context } from "hono";
import { getSignedCookie } from "hono/cookie";
import type { AppEnv } from "../../spec.ts";
import { authSecretOptions } from "../secrets.ts";

/** Better Auth's cookie, with its default prefix: `__Secure-` on https, host-only otherwise. */
const COOKIES = ["__Secure-better-auth.two_factor", "better-auth.two_factor"];

/** The user id of the live challenge the request's cookie names; undefined for none, a forged or an expired one. */
export async function twoFactorChallengeUser(c: Context<AppEnv>): Promise<string | undefined> {
  // Better Auth signs cookies (better-call: base64 HMAC-SHA-256, Hono's format) with its `secret`:
  // during a rotation, the previous one.
  const secret = authSecretOptions(c.env).secret;
  for (const name of COOKIES) {
    const identifier = await getSignedCookie(c, secret, name);
    if (!identifier) continue;
    const row = await c.env.DB.prepare(
      "SELECT value FROM verification WHERE identifier = ?1 AND expiresAt > ?2 ORDER BY createdAt DESC LIMIT 1",
    )
      .bind(identifier, Date.now())
      .first<{ value: string }>();
    return row?.value;
  }
  return undefined;
}
