/**
 * When the owner of an address first proves it by email (a sign-in code or a magic link) on an account
 * whose address was never verified, every credential someone else could have set up before goes:
 * passkeys, API keys and OAuth grants, next to the passwords and sessions Better Auth already removes.
 */
import type { BetterAuthPlugin } from "better-auth";

/**
 * Better Auth's `revokeUnprovenAccountAccess` runs on these paths (the seed's verify-otp forwards to
 * the first): it deletes the user's accounts and sessions, then sets `emailVerified: true` — the only
 * user update either path makes. It keeps passkeys and API keys, so a claimant who signed up (or
 * upgraded a guest) with someone else's address kept a way in after the owner took the account over.
 */
const EMAIL_PROOF_PATHS = new Set(["/sign-in/email-otp", "/magic-link/verify"]);

/** Rows owned by a user that open the account without its password: [plugin id, model, owner field]. */
const CREDENTIALS = [
  ["passkey", "passkey", "userId"],
  ["api-key", "apikey", "referenceId"],
  ["oauth-provider", "oauthRefreshToken", "userId"],
  ["oauth-provider", "oauthAccessToken", "userId"],
  ["oauth-provider", "oauthConsent", "userId"],
] as const;

export function revokeUnprovenCredentials(): BetterAuthPlugin {
  return {
    id: "authform-revoke-unproven-credentials",
    init: () => ({
      options: {
        databaseHooks: {
          user: {
            update: {
              async after(user, ctx) {
                if (!ctx || !EMAIL_PROOF_PATHS.has(ctx.path) || user.emailVerified !== true) return;
                for (const [pluginId, model, field] of CREDENTIALS) {
                  if (!ctx.context.hasPlugin(pluginId)) continue;
                  await ctx.context.adapter.deleteMany({ model, where: [{ field, value: user.id }] });
                }
              },
            },
          },
        },
      },
    }),
  };
}
