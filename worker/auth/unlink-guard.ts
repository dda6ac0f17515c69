/**
 * POST /unlink-account is refused when it would leave the user no way to sign in. Better Auth's own
 * rule counts account rows (the last one stays), which is both too strict (a user with a passkey may
 * drop their only social account) and too loose (a password-less "credential" row, or an account of
 * a provider this stack no longer offers, is no way in). Better Auth's rule is switched off
 * (`allowUnlinkingAll`, social-providers.ts) and this one decides. A way to sign in is any of:
 * - a password: a `credential` account with a password hash, while emailAndPassword is on;
 * - a passkey, while the passkey plugin is on;
 * - an account of a social provider this Worker signs in with (configured, with credentials);
 * - an email sign-in method the config enables (emailOtp, magicLink), for a verified address.
 * Counted over what remains once the account is gone; concurrent unlinks of one user's last two
 * ways are not serialized (D1 has no interactive transactions), see docs/RELIABILITY.md.
 */
import { defineErrorCodes } from "@better-auth/core/utils/error-codes";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import type { RuntimeManifest } from "../../src/contract/manifest.ts";
import { PLUGINS, type PluginName } from "../../src/contract/plugins.ts";

export const UNLINK_ERROR_CODES = defineErrorCodes({
  LAST_WAY_TO_SIGN_IN:
    "This is your last way to sign in. Add a password, a passkey or another account before you remove it.",
});

/** The sign-in methods the config turns on besides providers: password, emailed code or link, passkeys. */
function configuredMethods(manifest: RuntimeManifest) {
  const names = Object.keys(manifest.plugins) as PluginName[];
  return {
    password: manifest.emailAndPassword.enabled,
    emailSignIn: names.some((name) => ["email code", "email link"].includes(PLUGINS[name]?.signIn ?? "")),
    passkey: names.includes("passkey"),
  };
}

export function unlinkGuard(manifest: RuntimeManifest): BetterAuthPlugin {
  const methods = configuredMethods(manifest);
  return {
    id: "authform-unlink-guard",
    $ERROR_CODES: UNLINK_ERROR_CODES,
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === "/unlink-account",
          handler: createAuthMiddleware(async (ctx) => {
            const session = await getSessionFromCtx(ctx);
            // Better Auth's own middleware answers 401 without a session.
            if (!session) return;
            const { accountId } = (ctx.body ?? {}) as { accountId?: unknown };
            const { adapter, internalAdapter, socialProviders } = ctx.context;
            const accounts = await internalAdapter.findAccounts(session.user.id);
            // Not the caller's account: Better Auth answers ACCOUNT_NOT_FOUND.
            if (!accounts.some((a) => a.id === accountId)) return;
            const remaining = accounts.filter((a) => a.id !== accountId);
            const providers = new Set(socialProviders.map((p) => p.id));
            if (methods.password && remaining.some((a) => a.providerId === "credential" && a.password))
              return;
            if (remaining.some((a) => providers.has(a.providerId))) return;
            if (methods.emailSignIn && session.user.emailVerified) return;
            if (methods.passkey) {
              const passkeys = await adapter.findMany({
                model: "passkey",
                where: [{ field: "userId", value: session.user.id }],
                limit: 1,
              });
              if (passkeys.length > 0) return;
            }
            throw APIError.from("BAD_REQUEST", UNLINK_ERROR_CODES.LAST_WAY_TO_SIGN_IN);
          }),
        },
      ],
    },
  };
}
