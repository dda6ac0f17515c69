/**
 * passkey with `userVerification: "required"`: @better-auth/passkey 1.7.6 verifies every ceremony
 * with requireUserVerification off (an upstream advisory; no fixed release yet), so authform checks
 * the UV flag itself before Better Auth's verify steps run, and asks browsers for it in the
 * sign-in options (the registration options take it from the plugin's authenticatorSelection).
 */
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { credentialUserVerified } from "./authenticator-data.ts";
import { PASSKEY_ALIAS_ERROR_CODES as ERRORS } from "./error-codes.ts";

/** Better Auth's verify endpoints; the seed's alias paths are forwarded onto these. */
const VERIFY_PATHS = new Set(["/passkey/verify-registration", "/passkey/verify-authentication"]);
const SIGN_IN_OPTIONS = "/passkey/generate-authenticate-options";

export function passkeyRequiresUserVerification(): BetterAuthPlugin {
  return {
    id: "authform-passkey-user-verification",
    hooks: {
      before: [
        {
          matcher: (ctx) => VERIFY_PATHS.has(ctx.path ?? ""),
          handler: createAuthMiddleware(async (ctx) => {
            const credential = (ctx.body as { response?: unknown } | undefined)?.response;
            // Unreadable credentials are Better Auth's to refuse (as a failed verification).
            if (credentialUserVerified(credential) === false) {
              throw APIError.from("BAD_REQUEST", ERRORS.USER_VERIFICATION_REQUIRED);
            }
          }),
        },
      ],
      after: [
        {
          // Better Auth hard-codes "preferred" in the sign-in options.
          matcher: (ctx) => ctx.path === SIGN_IN_OPTIONS,
          handler: createAuthMiddleware(async (ctx) => {
            const options: unknown = ctx.context.returned;
            if (typeof options === "object" && options !== null && "challenge" in options) {
              (options as { userVerification?: string }).userVerification = "required";
            }
          }),
        },
      ],
    },
  };
}
