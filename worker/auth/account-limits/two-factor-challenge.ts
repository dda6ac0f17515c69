/**
 * The account behind a pending two-factor sign-in: Better Auth's signed `two_factor` cookie names a
 * verification row whose value is the user's id. Read here, before Better Auth runs, so the
 * per-account limit can count a guess at the second factor whatever address it comes from.
 */
import type { WorkerEnv } from "../../env.ts";
import { authSecretOptions } from "../secrets.ts";

/** Better Auth's cookie, with its default prefix, host-only or `__Secure-` on https. */
const COOKIE = /^(?:__Secure-)?better-auth\.two_factor$/;

/** The user id of the live challenge the request's cookie names; undefined for none, a forged or an expired one. */
export async function twoFactorChallengeUser(
  req: Request,
  env: Pick<WorkerEnv, "DB" | "BETTER_AUTH_SECRET" | "BETTER_AUTH_PREVIOUS_SECRET">,
): Promise<string | undefined> {
  const signed = cookieValue(req.headers.get("cookie"));
  if (!signed) return undefined;
  const dot = signed.lastIndexOf(".");
  if (dot < 1) return undefined;
  const identifier = signed.slice(0, dot);
  // Better Auth signs cookies with its `secret`: during a rotation, the previous one.
  if (!(await validSignature(identifier, signed.slice(dot + 1), authSecretOptions(env).secret))) {
    return undefined;
  }
  const row = await env.DB.prepare(
    "SELECT value FROM verification WHERE identifier = ?1 AND expiresAt > ?2 ORDER BY createdAt DESC LIMIT 1",
  )
    .bind(identifier, Date.now())
    .first<{ value: string }>();
  return row?.value;
}

function cookieValue(header: string | null): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const eq = part.indexOf("=");
    if (eq < 0 || !COOKIE.test(part.slice(0, eq).trim())) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** better-call's cookie signature: base64 HMAC-SHA-256 of the value. */
async function validSignature(value: string, signature: string, secret: string): Promise<boolean> {
  let mac: Uint8Array<ArrayBuffer>;
  try {
    mac = Uint8Array.from(atob(signature), (c) => c.charCodeAt(0));
  } catch {
    return false;
  }
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  return crypto.subtle.verify("HMAC", key, mac, encoder.encode(value));
}
