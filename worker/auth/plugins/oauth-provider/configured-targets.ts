/**
 * The config decides which resources tokens may be issued for. Better Auth keeps an oauthResource
 * row for every resource it was ever given (seeding adds and overwrites, never removes) and issues
 * tokens for any enabled row, so a resource removed from `oauthProvider.resources` would stay
 * usable. Before the first authorize or token request an isolate serves, every row the config does
 * not name is disabled; Better Auth then refuses it with its own invalid_target (a redirect with
 * `iss` at authorize, 400 at token). A resource put back in the config is re-enabled by Better
 * Auth's overwrite seed.
 */
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";

const TARGET_PATHS = new Set(["/oauth2/authorize", "/oauth2/token"]);

/** Per isolate: the audience lists whose leftover rows are disabled already. */
const reconciled = new Set<string>();

/** `allowed`: every audience the config names (see options.ts allAudiences). */
export function configuredTargets(allowed: string[]): BetterAuthPlugin {
  const key = JSON.stringify([...allowed].sort());
  return {
    id: "authform-configured-targets",
    hooks: {
      before: [
        {
          matcher: (ctx) => !reconciled.has(key) && TARGET_PATHS.has(ctx.path ?? ""),
          handler: createAuthMiddleware(async (ctx) => {
            await ctx.context.adapter.updateMany({
              model: "oauthResource",
              where: [{ field: "identifier", operator: "not_in", value: allowed }],
              update: { disabled: true },
            });
            reconciled.add(key);
          }),
        },
      ],
    },
  };
}
