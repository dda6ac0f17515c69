/**
 * admin: Better Auth's admin plugin (list and search users, roles, bans, sessions, impersonation,
 * deletion) for the admins the config names. Advisories: the admin plugin's CVE-2026-134311
 * (update-user let a role holding user:update change another user's verified phone number) and
 * CVE-2026-134321 (revoked sessions outliving bans through secondary storage) are both fixed in
 * Better Auth 1.7.16; authform pins 1.7.29. See docs/RELIABILITY.md, "Admin".
 */
import { admin } from "better-auth/plugins/admin";
import { adminAc, userAc } from "better-auth/plugins/admin/access";
import type { PluginModule } from "../../../spec.ts";
import { configAdmins } from "./config-admins.ts";
import { adminSettings } from "./options.ts";
import { ADMIN_ROLE, DEFAULT_ROLE } from "./roles.ts";

/** An impersonation session lasts an hour at most (Better Auth's default, said here on purpose). */
const IMPERSONATION_SECONDS = 60 * 60;

export const adminPlugin: PluginModule = {
  audit: {
    adminActions: {
      "/admin/ban-user": "admin.ban",
      "/admin/unban-user": "admin.unban",
      "/admin/set-role": "admin.set-role",
      "/admin/impersonate-user": "admin.impersonate-start",
      "/admin/remove-user": "admin.delete-user",
      "/admin/revoke-user-sessions": "admin.revoke-sessions",
    },
  },
  betterAuth: ({ env, options }) => {
    const settings = adminSettings(options);
    return [
      admin({
        // Naming the roles makes Better Auth refuse any other role name; the config's own roles grant nothing.
        roles: {
          [ADMIN_ROLE]: adminAc,
          [DEFAULT_ROLE]: userAc,
          ...Object.fromEntries(settings.roles.map((role) => [role, userAc])),
        },
        adminRoles: [ADMIN_ROLE],
        defaultRole: DEFAULT_ROLE,
        impersonationSessionDuration: IMPERSONATION_SECONDS,
      }),
      configAdmins(env.DB, settings),
    ];
  },
};
