/**
 * The config decides which resources tokens may be issued for. Better Auth keeps an oauthResource
 * row for every resource it was ever given and issues tokens for any row, so a resource removed
 * from `oauthProvider.resources` would stay usable; here a `resource` (RFC 8707) at authorize or
 * token that the config does not name is refused with invalid_target before Better Auth sees it.
 */
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";

const TARGET_PATHS = new Set(["/oauth2/authorize", "/oauth2/token"]);

/** Every `resource` a request carries (query or body; once or repeated). */
export function requestedResources(...sources: unknown[]): string[] {
  return sources.flatMap((source) => {
    if (typeof source !== "object" || source === null) return [];
    const value = (source as { resource?: unknown }).resource;
    const values = Array.isArray(value) ? value : [value];
    return values.filter((v): v is string => typeof v === "string" && v !== "");
  });
}

/** `allowed`: the configured audiences; Better Auth's own userinfo audience is always allowed. */
export function configuredTargets(allowed: string[]): BetterAuthPlugin {
  const known = new Set(allowed);
  return {
    id: "authform-configured-targets",
    hooks: {
      before: [
        {
          matcher: (ctx) => TARGET_PATHS.has(ctx.path ?? ""),
          handler: createAuthMiddleware(async (ctx) => {
            const userinfo = `${ctx.context.baseURL}/oauth2/userinfo`;
            const unknown = requestedResources(ctx.query, ctx.body).find(
              (r) => !known.has(r) && r !== userinfo,
            );
            if (unknown === undefined) return;
            throw new APIError("BAD_REQUEST", {
              error: "invalid_target",
              error_description: `requested resource ${unknown} is not configured`,
            });
          }),
        },
      ],
    },
  };
}
