/**
 * A preview accepts a forwarded sign-in only in the browser that started it. Better Auth's
 * oAuthProxy restores the state on the preview with the state-cookie check skipped, so a forward
 * URL someone else started (and sent you within its minute) would sign you in to their account:
 * login CSRF. The browser that began the sign-in holds the preview's signed `state` cookie, whose
 * value the sealed payload carries; anything else is refused before a user or session is written.
 */
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import { symmetricDecrypt } from "better-auth/crypto";
import { proxyProfileKey } from "./profile-key.ts";

/** The paths that complete a forwarded sign-in on the preview (the second is Better Auth's deprecated alias). */
export const COMPLETION_PATHS = ["/callback/:id/oauth-proxy", "/oauth-proxy-callback"];

export function bindForwardToBrowser(secret: string, errorURL: string): BetterAuthPlugin {
  const refuse = (code: string) => `${errorURL}${errorURL.includes("?") ? "&" : "?"}error=${code}`;
  return {
    id: "authform-oauth-proxy-browser-binding",
    hooks: {
      before: [
        {
          matcher: (ctx) => COMPLETION_PATHS.includes(ctx.path ?? ""),
          handler: createAuthMiddleware(async (ctx) => {
            const sealed = typeof ctx.query?.profile === "string" ? ctx.query.profile : undefined;
            if (!sealed) throw ctx.redirect(refuse("missing_profile"));
            let state: unknown;
            try {
              const opened = await symmetricDecrypt({ key: await proxyProfileKey(secret), data: sealed });
              state = (JSON.parse(opened) as { state?: unknown }).state;
            } catch {
              throw ctx.redirect(refuse("invalid_profile"));
            }
            const cookie = ctx.context.createAuthCookie("state");
            const started = await ctx.getSignedCookie(cookie.name, ctx.context.secret);
            if (typeof state !== "string" || !started || started !== state) {
              throw ctx.redirect(refuse("state_mismatch"));
            }
          }),
        },
      ],
    },
  };
}
