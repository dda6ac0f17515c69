/**
 * Organization roles spelled exactly. Better Auth checks "only an owner may invite an owner" on the
 * requested roles split on "," without trimming (so "owner " slipped past it and was stored), but
 * trims the inviter's stored role (so that member then counted as an owner and could invite real
 * owners). Here: requested roles must be exact names, and only a member whose stored role names
 * "owner" exactly may invite an owner.
 */

import { defineErrorCodes } from "@better-auth/core/utils/error-codes";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import { memberRoles } from "../../../api/org-role.ts";

export const ROLE_NAME_ERROR_CODES = defineErrorCodes({
  INVALID_ROLE_NAME:
    'Role names are exact and comma-separated without spaces: send "admin,member" or ["admin", "member"].',
  ONLY_AN_OWNER_MAY_INVITE_AN_OWNER: "Only an owner of the organization may invite an owner.",
});

/** Better Auth's default creator role; authform does not change it. */
const OWNER = "owner";
const INVITE = "/organization/invite-member";
/** The endpoints that store a role a client sent as is. */
const ROLE_WRITES = new Set([INVITE, "/organization/add-member"]);

/** True when every role is a non-empty name with nothing around it, in either of Better Auth's two forms. */
export function roleNamesAreExact(role: unknown): boolean {
  if (role === undefined) return true;
  const entries = typeof role === "string" ? [role] : Array.isArray(role) ? role : undefined;
  if (!entries || entries.length === 0) return false;
  return entries.every(
    (entry) =>
      typeof entry === "string" && entry.split(",").every((name) => name !== "" && name === name.trim()),
  );
}

function requestsOwner(role: unknown): boolean {
  const entries: unknown[] = typeof role === "string" ? [role] : Array.isArray(role) ? role : [];
  return entries.some((entry) => typeof entry === "string" && entry.split(",").includes(OWNER));
}

interface InviteBody {
  role?: unknown;
  organizationId?: unknown;
}

export function exactRoleNames(): BetterAuthPlugin {
  return {
    id: "authform-organization-role-names",
    $ERROR_CODES: ROLE_NAME_ERROR_CODES,
    hooks: {
      before: [
        {
          matcher: (ctx) =>
            ROLE_WRITES.has(ctx.path ?? "") && !roleNamesAreExact((ctx.body as InviteBody | undefined)?.role),
          handler: createAuthMiddleware(async () => {
            throw APIError.from("BAD_REQUEST", ROLE_NAME_ERROR_CODES.INVALID_ROLE_NAME);
          }),
        },
        {
          matcher: (ctx) => ctx.path === INVITE && requestsOwner((ctx.body as InviteBody | undefined)?.role),
          handler: createAuthMiddleware(async (ctx) => {
            const session = await getSessionFromCtx(ctx);
            // No session: Better Auth's own endpoint answers 401 as it always does.
            if (!session) return;
            const body = ctx.body as InviteBody;
            const orgId =
              typeof body.organizationId === "string" && body.organizationId !== ""
                ? body.organizationId
                : (session.session as { activeOrganizationId?: string | null }).activeOrganizationId;
            // No organization: Better Auth answers that itself.
            if (!orgId) return;
            const member = await ctx.context.adapter.findOne<{ role: string }>({
              model: "member",
              where: [
                { field: "userId", value: session.user.id },
                { field: "organizationId", value: orgId },
              ],
            });
            // Not a member: Better Auth answers that itself.
            if (!member) return;
            if (!memberRoles(member.role).includes(OWNER))
              throw APIError.from("FORBIDDEN", ROLE_NAME_ERROR_CODES.ONLY_AN_OWNER_MAY_INVITE_AN_OWNER);
          }),
        },
      ],
    },
  };
}
