/** Looks up a user's role in an organization: one indexed D1 read, only when a request names an org. */
import { routedD1 } from "../db/d1-session.ts";
import type { WorkerEnv } from "../env.ts";

/** The member's roles in the org, or undefined when the user is not (or no longer) a member. */
export async function orgRoles(env: WorkerEnv, userId: string, orgId: string): Promise<string[] | undefined> {
  // Through the request's D1 session: counted, on a replica for replica reads, and never older
  // than the client's bookmark (a membership it just changed is seen).
  const row = await routedD1(env.DB)
    .prepare("SELECT role FROM member WHERE userId = ?1 AND organizationId = ?2 LIMIT 1")
    .bind(userId, orgId)
    .first<{ role: string }>();
  return row ? memberRoles(row.role) : undefined;
}

/**
 * A member row's roles: split on ",", names exactly as stored, so a name with spaces around it
 * (" owner") grants nothing. authform refuses such names on every write (role-names.ts), and Better
 * Auth 1.7.16+ trims before storing, so new rows read the same both ways; only rows stored before
 * authform's fix differ (Better Auth now trims them into roles; see docs/UPGRADING.md).
 */
export function memberRoles(stored: string): string[] {
  return stored.split(",").filter((name) => name !== "" && name === name.trim());
}
