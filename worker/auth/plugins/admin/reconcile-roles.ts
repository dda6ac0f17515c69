/**
 * Brings every user's stored role in line with the config, in two statements: a verified address in
 * admin.userEmails is role "admin"; any other user holding "admin" goes back to "user". Run once per
 * isolate, before its first admin request (config-admins.ts), so a deploy that removes an address
 * demotes its owner everywhere the role is read (listings, "cannot impersonate admins"), not only
 * when that person next calls. The admins' list goes in as one JSON parameter (D1 takes at most 100).
 */

const PROMOTE = `UPDATE user SET role = 'admin'
  WHERE emailVerified = 1 AND email IN (SELECT value FROM json_each(?1))
    AND (role IS NULL OR role <> 'admin')`;

const DEMOTE = `UPDATE user SET role = 'user'
  WHERE instr(',' || replace(role, ' ', '') || ',', ',admin,') > 0
    AND NOT (emailVerified = 1 AND email IN (SELECT value FROM json_each(?1)))`;

export async function reconcileRoles(db: D1Database, userEmails: ReadonlySet<string>): Promise<void> {
  const list = JSON.stringify([...userEmails]);
  await db.batch([db.prepare(PROMOTE).bind(list), db.prepare(DEMOTE).bind(list)]);
}

/** `reconcileRoles` once per isolate; a failed run is tried again by the next request. */
export function reconcileOnce(db: D1Database, userEmails: ReadonlySet<string>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= reconcileRoles(db, userEmails).catch((err: unknown) => {
      done = undefined;
      throw err;
    });
    return done;
  };
}
