/**
 * POST /change-password ends the user's other sessions unless the client asks to keep them
 * (`revokeOtherSessions: false`). Better Auth keeps them by default, so someone who changes a
 * password because another person knows it would leave that person signed in.
 */
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";

export function revokeOnPasswordChange(): BetterAuthPlugin {
  return {
    id: "authform-revoke-on-password-change",
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === "/change-password",
          handler: createAuthMiddleware(async (ctx) => {
            const body = ctx.body as Record<string, unknown> | undefined;
            if (
              !body ||
              typeof body !== "object" ||
              Array.isArray(body) ||
              body.revokeOtherSessions !== undefined
            )
              return;
            return { context: { body: { ...body, revokeOtherSessions: true } } };
          }),
        },
      ],
    },
  };
}
