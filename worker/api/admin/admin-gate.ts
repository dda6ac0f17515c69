/**
 * Who may use /api/v1/admin/*: the config's admins, as the admin plugin decides it (a verified
 * address in admin.userEmails), checked against the database on every request so that taking an
 * address off the config, or the address losing its verification, or a ban, ends the access at once.
 * A signed-in admin (cookie or fast-path token) has every admin right; an API key has only what its
 * `permissions.admin` names ("read" lists and reads users, "write" changes them), and only while its
 * owner is still a config admin. Such keys are minted by admin-keys.ts; Better Auth refuses
 * `permissions` in any create request that comes over HTTP, so nobody else can forge one.
 */
import type { Context } from "hono";
import { adminSettings } from "../../auth/plugins/admin/options.ts";
import { isBanned } from "../../auth/plugins/api-key/banned-owner.ts";
import { routedD1 } from "../../db/d1-session.ts";
import type { WorkerEnv } from "../../env.ts";
import { CodedHttpError } from "../../middleware/errors.ts";
import type { WorkerSpec } from "../../spec.ts";
import type { ApiEnv } from "../context.ts";

export type AdminAccess = "read" | "write";
export const ADMIN_ACCESS: readonly AdminAccess[] = ["read", "write"];

/** The permissions entry an admin-scoped key carries: `{ admin: ["read"] }` or `{ admin: ["read", "write"] }`. */
export const ADMIN_SCOPE = "admin";

export class NotAnAdminError extends CodedHttpError {
  constructor() {
    super(
      403,
      "not_an_admin",
      "Only the admins named in the config (admin.userEmails), once they have verified their address, can do this.",
    );
  }
}

/** Whether `userId` is a config admin right now: listed, verified, and not banned. */
export async function isConfigAdmin(env: WorkerEnv, spec: WorkerSpec, userId: string): Promise<boolean> {
  const options = spec.manifest.plugins.admin;
  if (!options) return false;
  const { userEmails } = adminSettings(options as Record<string, unknown>);
  const row = await routedD1(env.DB)
    .prepare("SELECT email, emailVerified, banned, banExpires FROM user WHERE id = ?1 LIMIT 1")
    .bind(userId)
    .first<{ email: string; emailVerified: number; banned: number | null; banExpires: number | null }>();
  if (row?.emailVerified !== 1 || !userEmails.has(row.email.toLowerCase())) return false;
  return !isBanned({
    banned: row.banned === 1,
    banExpires: row.banExpires === null ? null : new Date(row.banExpires),
  });
}

/** The admin making this request (their user id), or a 403 saying why not. */
export async function requireAdmin(
  c: Context<ApiEnv>,
  spec: WorkerSpec,
  access: AdminAccess,
): Promise<string> {
  const { userId } = c.get("auth");
  if (!(await isConfigAdmin(c.env, spec, userId))) throw new NotAnAdminError();
  const key = c.get("apiKey");
  if (key && !(key.permissions?.[ADMIN_SCOPE] ?? []).includes(access))
    throw new CodedHttpError(
      403,
      "insufficient_scope",
      `This API key lacks the admin "${access}" permission; an admin mints one at POST /api/v1/admin/api-keys.`,
    );
  return userId;
}
