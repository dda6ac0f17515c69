/**
 * Where a magic link lands when the client names no callbackURL: APP_URL (the seed: "APP_URL - Base
 * URL for magic link redirect"), not the auth API's root, which Better Auth would pick.
 */
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";

export function defaultMagicLinkCallback(appUrl: string): BetterAuthPlugin {
  return {
    id: "authform-magic-link-callback",
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === "/sign-in/magic-link",
          handler: createAuthMiddleware(async (ctx) => {
            const body: unknown = ctx.body;
            if (typeof body !== "object" || body === null) return;
            if ("callbackURL" in body && body.callbackURL) return;
            return { context: { body: { ...body, callbackURL: appUrl } } };
          }),
        },
      ],
    },
  };
}
