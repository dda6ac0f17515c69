/**
 * Brings every user's stored role in line with the config: a verified address in admin.userEmails
 * is role "admin"; any other user holding "admin" goes back to "user". Run once per isolate, before
 * its first admin request (config-admins.ts), so a deploy that removes an address demotes its owner
 * everywhere the role is read (their session, listings, "cannot impersonate admins"), not only when
 * that person next calls. One query finds who must change (the admins' list goes in as one JSON
 * parameter: D1 takes at most 100); each change goes through Better Auth, which also rewrites the
 * copies of the user that sessions in KV hold.
 */

const MISMATCHED = `SELECT id, CASE WHEN listed THEN 'admin' ELSE 'user' END AS role FROM (
    SELECT id, role,
      emailVerified = 1 AND email IN (SELECT value FROM json_each(?1)) AS listed,
      instr(',' || replace(coalesce(role, ''), ' ', '') || ',', ',admin,') > 0 AS holds
    FROM user
  ) WHERE listed <> holds`;

export type SetRole = (userId: string, role: string) => Promise<unknown>;

export async function reconcileRoles(
  db: D1Database,
  userEmails: ReadonlySet<string>,
  setRole: SetRole,
): Promise<void> {
  const { results } = await db
    .prepare(MISMATCHED)
    .bind(JSON.stringify([...userEmails]))
    .all<{ id: string; role: string }>();
  for (const { id, role } of results) await setRole(id, role);
}

/** `reconcileRoles` once per isolate; a failed run is tried again by the next request. */
export function reconcileOnce(
  db: D1Database,
  userEmails: ReadonlySet<string>,
): (setRole: SetRole) => Promise<void> {
  let done: Promise<void> | undefined;
  return (setRole) => {
    done ??= reconcileRoles(db, userEmails, setRole).catch((err: unknown) => {
      done = undefined;
      throw err;
    });
    return done;
  };
}
