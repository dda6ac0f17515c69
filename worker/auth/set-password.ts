/**
 * POST /set-password: a first password for an account that has none (signed up by code, link,
 * passkey or a social provider). Better Auth's `setPassword` is server-only, because whoever holds
 * the session cookie could call it; here it takes a sign-in of the last few minutes instead (as
 * deleting such an account does), and an account that already has a password is refused, so this
 * is never a way round change-password's current-password check.
 */
import { BASE_ERROR_CODES } from "@better-auth/core/error";
import { defineErrorCodes } from "@better-auth/core/utils/error-codes";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthEndpoint, sessionMiddleware } from "better-auth/api";
import * as z from "zod";
import { isFreshSignIn } from "./fresh-sign-in.ts";

export const SET_PASSWORD_ERROR_CODES = defineErrorCodes({
  PASSWORD_ALREADY_SET: "This account has a password already. Change it with the current one.",
  SIGN_IN_AGAIN_TO_SET_PASSWORD: "Sign in again (within the last 5 minutes) to set a password.",
  GUESTS_SAVE_ACCOUNT_FIRST: "Save your guest account with an email and a password instead.",
});

export function setPassword(): BetterAuthPlugin {
  return {
    id: "authform-set-password",
    $ERROR_CODES: SET_PASSWORD_ERROR_CODES,
    endpoints: {
      setPassword: createAuthEndpoint(
        "/set-password",
        {
          method: "POST",
          body: z.object({ newPassword: z.string().describe("The account's first password.") }),
          use: [sessionMiddleware],
          metadata: {
            openapi: {
              description:
                "Set a first password on an account without one (needs a sign-in of the last 5 minutes)",
            },
          },
        },
        async (ctx) => {
          const { session } = ctx.context;
          if ((session.user as { isAnonymous?: boolean | null }).isAnonymous === true)
            throw APIError.from("FORBIDDEN", SET_PASSWORD_ERROR_CODES.GUESTS_SAVE_ACCOUNT_FIRST);
          const { internalAdapter, password } = ctx.context;
          const credential = await internalAdapter.findCredentialAccount(session.user.id);
          if (credential?.password)
            throw APIError.from("BAD_REQUEST", SET_PASSWORD_ERROR_CODES.PASSWORD_ALREADY_SET);
          if (!isFreshSignIn(session.session))
            throw APIError.from("FORBIDDEN", SET_PASSWORD_ERROR_CODES.SIGN_IN_AGAIN_TO_SET_PASSWORD);
          const { newPassword } = ctx.body;
          if (newPassword.length < password.config.minPasswordLength)
            throw APIError.from("BAD_REQUEST", BASE_ERROR_CODES.PASSWORD_TOO_SHORT);
          if (newPassword.length > password.config.maxPasswordLength)
            throw APIError.from("BAD_REQUEST", BASE_ERROR_CODES.PASSWORD_TOO_LONG);
          const hash = await password.hash(newPassword);
          if (credential) await internalAdapter.updateAccount(credential.id, { password: hash });
          else
            await internalAdapter.linkAccount({
              userId: session.user.id,
              providerId: "credential",
              accountId: session.user.id,
              password: hash,
            });
          return ctx.json({ status: true });
        },
      ),
    },
  };
}
