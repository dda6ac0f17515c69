/**
 * Checks around Better Auth's apiKey plugin: a malformed key is the same 401 as an unknown one,
 * and a key may only carry (metadata.organizationId) an organization its owner is a member of.
 */

import type { HookEndpointContext } from "@better-auth/core";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import { API_KEY_GUARD_ERROR_CODES as ERRORS } from "./error-codes.ts";
import { apiKeyFromRequest, KEY_SESSION_PATHS } from "./key-from-request.ts";

/** Better Auth's generated keys are 64 characters after an optional prefix. */
export const API_KEY_LENGTH = 64;

/**
 * The key a request offers to act as its owner's session, or null. Only HTTP requests to the
 * read-only endpoints in KEY_SESSION_PATHS; server-side calls (the /api/v1 middleware) verify keys
 * themselves and must not have a key silently turn into a session.
 */
export function keySessionGetter(ctx: HookEndpointContext): string | null {
  if (!ctx.request || !ctx.path || !KEY_SESSION_PATHS.has(ctx.path)) return null;
  return apiKeyFromRequest(ctx.headers, ctx.request.url);
}

const KEY_WRITES = new Set(["/api-key/create", "/api-key/update"]);

export function apiKeyGuards(): BetterAuthPlugin {
  return {
    id: "authform-api-key-guards",
    $ERROR_CODES: ERRORS,
    hooks: {
      before: [
        {
          // Better Auth answers 403 to a key shorter than it generates; an unknown key is 401.
          matcher: (ctx) => {
            const key = keySessionGetter(ctx);
            return key !== null && key.length < API_KEY_LENGTH;
          },
          handler: createAuthMiddleware(async () => {
            throw APIError.from("UNAUTHORIZED", ERRORS.INVALID_API_KEY);
          }),
        },
        {
          matcher: (ctx) => KEY_WRITES.has(ctx.path ?? "") && organizationIdOf(ctx.body) !== undefined,
          handler: createAuthMiddleware(async (ctx) => {
            const orgId = organizationIdOf(ctx.body);
            if (typeof orgId !== "string" || orgId === "")
              throw APIError.from("BAD_REQUEST", ERRORS.INVALID_ORGANIZATION_ID);
            const session = await getSessionFromCtx(ctx);
            // No session: the plugin's own endpoint answers 401 as it always does.
            if (!session) return;
            const member = await ctx.context.adapter.findOne({
              model: "member",
              where: [
                { field: "userId", value: session.user.id },
                { field: "organizationId", value: orgId },
              ],
            });
            if (!member) throw APIError.from("FORBIDDEN", ERRORS.NOT_A_MEMBER_OF_ORGANIZATION);
          }),
        },
      ],
    },
  };
}

function organizationIdOf(body: unknown): unknown {
  const metadata = (body as { metadata?: unknown } | undefined)?.metadata;
  if (typeof metadata !== "object" || metadata === null) return undefined;
  return (metadata as { organizationId?: unknown }).organizationId;
}
