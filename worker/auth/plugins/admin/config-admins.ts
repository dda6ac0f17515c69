/**
 * Who is an admin comes from the config, at request time. Better Auth's admin plugin trusts the role
 * stored on the user row; this plugin decides before every admin endpoint runs: the caller is an
 * admin exactly when their address is in admin.userEmails *and verified* (an unverified address is
 * anyone's claim). The stored role is corrected to match (promoted or demoted, through Better Auth so
 * cached sessions follow), and anyone else gets 403 before Better Auth looks at the role. So adding
 * or removing an address takes effect with the deploy that carries it, and no data migration is
 * needed. The admin role itself cannot be given or taken through the API: that would be a second
 * list of admins, undone at the holder's next request.
 */
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, getAuthoritativeSessionFromCtx } from "better-auth/api";
import { ADMIN_GUARD_ERROR_CODES as ERRORS } from "./error-codes.ts";
import type { AdminSettings } from "./options.ts";
import { reconcileOnce } from "./reconcile-roles.ts";
import { ADMIN_ROLE, DEFAULT_ROLE, includesAdmin } from "./roles.ts";

/** Needs the impersonated user's session, not an admin's: Better Auth checks the admin's own cookie. */
const STOP_IMPERSONATING = "/admin/stop-impersonating";
/** Answers whether the caller has a permission: a non-admin gets `false` from Better Auth, not 403. */
const HAS_PERMISSION = "/admin/has-permission";

type HookContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

interface UserFields {
  id: string;
  email: string;
  emailVerified: boolean;
  role?: string | null;
}

export function configAdmins(db: D1Database, settings: AdminSettings): BetterAuthPlugin {
  const reconcile = reconcileOnce(db, settings.userEmails);
  const isConfigured = (user: UserFields) =>
    user.emailVerified === true && settings.userEmails.has(user.email.toLowerCase());

  /** A role change that would give or take the admin role, which only the config does. */
  async function touchesAdminRole(ctx: HookContext): Promise<boolean> {
    const body = (ctx.body ?? {}) as { userId?: unknown; role?: unknown; data?: Record<string, unknown> };
    const data = body.data ?? {};
    const setsRole = ctx.path === "/admin/set-role" || Object.hasOwn(data, "role") || body.role !== undefined;
    if (!setsRole) return false;
    if (includesAdmin(body.role) || includesAdmin(data.role)) return true;
    if (typeof body.userId !== "string") return false;
    const target = await ctx.context.internalAdapter.findUserById(body.userId);
    return target !== null && isConfigured(target as UserFields);
  }

  return {
    id: "authform-config-admins",
    $ERROR_CODES: ERRORS,
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path?.startsWith("/admin/") === true && ctx.path !== STOP_IMPERSONATING,
          handler: createAuthMiddleware(async (ctx) => {
            const session = await getAuthoritativeSessionFromCtx(ctx);
            // No session: Better Auth answers 401 itself.
            if (!session) return;
            await reconcile((userId, role) => ctx.context.internalAdapter.updateUser(userId, { role }));
            // The session was read before the reconciliation: read the caller's role again.
            const user = ((await ctx.context.internalAdapter.findUserById(session.user.id)) ??
              session.user) as UserFields;
            const configured = isConfigured(user);
            if (configured !== includesAdmin(user.role)) {
              await ctx.context.internalAdapter.updateUser(user.id, {
                role: configured ? ADMIN_ROLE : DEFAULT_ROLE,
              });
            }
            if (ctx.path === HAS_PERMISSION) return;
            if (!configured) throw APIError.from("FORBIDDEN", ERRORS.NOT_AN_ADMIN);
            if (await touchesAdminRole(ctx)) throw APIError.from("FORBIDDEN", ERRORS.ADMIN_ROLE_FROM_CONFIG);
          }),
        },
      ],
    },
  };
}
