/**
 * What /api/v1 must know about an API key's owner beyond the key: whether they are a guest, and
 * whether an admin has banned them. A ban ends the owner's sessions (Better Auth), but Better Auth's
 * key check does not look at the owner, so without this a banned user's keys would keep working.
 * A ban whose expiry has passed no longer counts, as at sign-in.
 */
import { routedD1 } from "../db/d1-session.ts";
import type { WorkerEnv } from "../env.ts";

export interface KeyOwner {
  isAnonymous: boolean;
  banned: boolean;
}

export async function keyOwner(env: WorkerEnv, userId: string, now = Date.now()): Promise<KeyOwner> {
  const row = await routedD1(env.DB)
    .prepare("SELECT isAnonymous, banned, banExpires FROM user WHERE id = ?1 LIMIT 1")
    .bind(userId)
    .first<{ isAnonymous: number | null; banned: number | null; banExpires: number | null }>();
  return {
    isAnonymous: row?.isAnonymous === 1,
    banned: row?.banned === 1 && (row.banExpires === null || row.banExpires > now),
  };
}
