/** A user's live sessions read from D1, for the KV secondary storage's `active-sessions-<userId>` list. */
import { and, eq, gt } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { session, user } from "../db/schema.ts";

/** One live session: what Better Auth keeps in a user's list, and the entry it keeps per token. */
export interface LiveSession {
  token: string;
  /** Epoch ms. */
  expiresAt: number;
  /** `{ session, user }` as JSON, the shape Better Auth caches under the token. */
  entry: string;
}

export type SessionIndex = (userId: string) => Promise<LiveSession[]>;

/**
 * Better Auth keeps a per-user list of session tokens in secondary storage and rewrites it with a
 * read-modify-write on every sign-in and sign-out. On KV, eventually consistent across locations,
 * two sign-ins a few seconds apart in two places can each drop the other's token — and a session
 * missing from the list is missed by "sign out other devices". D1 has every session (authform
 * stores them there too), so the list is read from D1 instead: one indexed query, on the paths
 * that list or revoke, never on get-session.
 */
export function d1SessionIndex<S extends Record<string, unknown>>(db: DrizzleD1Database<S>): SessionIndex {
  return async (userId) => {
    const rows = await db
      .select({ session, user })
      .from(session)
      .innerJoin(user, eq(session.userId, user.id))
      .where(and(eq(session.userId, userId), gt(session.expiresAt, new Date())))
      .orderBy(session.expiresAt);
    return rows.map((row) => ({
      token: row.session.token,
      expiresAt: row.session.expiresAt.getTime(),
      entry: JSON.stringify(row),
    }));
  };
}
