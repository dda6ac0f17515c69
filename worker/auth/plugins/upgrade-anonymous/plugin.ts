/**
 * A Better Auth plugin: POST /upgrade-anonymous turns the signed-in guest into a full user, same id.
 * With `{ email, password }` it adds them; with `{}` it keeps the sign-in the guest already has (a
 * proven email or a passkey, see empty-upgrade-rules.ts).
 */
import type { AuthContext, BetterAuthPlugin } from "better-auth";
import { APIError, createAuthEndpoint, sendVerificationEmailFn, sessionMiddleware } from "better-auth/api";
import { deleteSessionCookie, setSessionCookie } from "better-auth/cookies";
import { parseUserOutput } from "better-auth/db";
import * as z from "zod";
import { emptyUpgradeRefusal } from "./empty-upgrade-rules.ts";
import { UPGRADE_ANONYMOUS_ERROR_CODES as ERRORS } from "./error-codes.ts";

const upgradeBody = z
  .object({
    email: z.email().optional().describe("The email the user signs in with from now on (with password)."),
    password: z.string().optional().describe("The password for email + password sign-in (with email)."),
    name: z
      .string()
      .trim()
      .min(1)
      .max(256)
      .optional()
      .describe("Display name. The guest's current name is kept when omitted."),
    callbackURL: z
      .string()
      .optional()
      .describe("Where the verification link lands (requireEmailVerification); a trusted origin only."),
  })
  // No body at all reads as `{}`.
  .optional();

export function upgradeAnonymous() {
  return {
    id: "upgrade-anonymous",
    endpoints: {
      upgradeAnonymous: createAuthEndpoint(
        "/upgrade-anonymous",
        {
          method: "POST",
          body: upgradeBody,
          use: [sessionMiddleware],
          metadata: {
            openapi: {
              description: "Turn the signed-in guest into a full user with an email and a password",
            },
          },
        },
        async (ctx) => {
          const settings = ctx.context.options.emailAndPassword;
          const adapter = ctx.context.internalAdapter;
          // The stored row decides, not the session: a cached session could still say "anonymous".
          const guest = await adapter.findUserById(ctx.context.session.user.id);
          if (!guest) throw APIError.fromStatus("UNAUTHORIZED");
          if (!isAnonymous(guest)) throw APIError.from("FORBIDDEN", ERRORS.USER_IS_NOT_ANONYMOUS);

          const { email: rawEmail, password } = ctx.body ?? {};
          if (rawEmail !== undefined && password === undefined)
            throw APIError.from("BAD_REQUEST", ERRORS.EMAIL_WITHOUT_PASSWORD);
          if (password !== undefined && rawEmail === undefined)
            throw APIError.from("BAD_REQUEST", ERRORS.PASSWORD_WITHOUT_EMAIL);
          const name = ctx.body?.name ?? guest.name;

          let changes: { email?: string; emailVerified?: boolean };
          if (rawEmail === undefined || password === undefined) {
            // `{}`: nothing is added, so the guest must already have a sign-in of its own.
            const refusal = emptyUpgradeRefusal({
              email: guest.email,
              emailVerified: guest.emailVerified === true,
              hasPasskey: await hasPasskey(ctx.context, guest.id),
              requireEmailVerification: settings?.requireEmailVerification === true,
            });
            if (refusal) throw APIError.from("BAD_REQUEST", refusal);
            changes = {};
          } else {
            if (!settings?.enabled || settings.disableSignUp) {
              throw APIError.from("FORBIDDEN", ERRORS.EMAIL_PASSWORD_DISABLED);
            }
            const { minPasswordLength, maxPasswordLength } = ctx.context.password.config;
            if (password.length < minPasswordLength)
              throw APIError.from("BAD_REQUEST", ERRORS.PASSWORD_TOO_SHORT);
            if (password.length > maxPasswordLength)
              throw APIError.from("BAD_REQUEST", ERRORS.PASSWORD_TOO_LONG);
            const email = rawEmail.toLowerCase();
            const owner = await adapter.findUserByEmail(email);
            if (owner && owner.user.id !== guest.id)
              throw APIError.from("CONFLICT", ERRORS.EMAIL_ALREADY_IN_USE);

            // Better Auth's own hasher, so /sign-in/email verifies this password like any other.
            const hash = await ctx.context.password.hash(password);
            // The credential first: a user that is no longer anonymous always has a way to sign in.
            const credential = await adapter.findCredentialAccount(guest.id);
            if (credential) await adapter.updateAccount(credential.id, { password: hash });
            else {
              await adapter.linkAccount({
                userId: guest.id,
                providerId: "credential",
                accountId: guest.id,
                password: hash,
              });
            }
            // The address the guest already proved by code stays proven; any other one is not.
            changes = {
              email,
              emailVerified: email === guest.email.toLowerCase() && guest.emailVerified === true,
            };
          }

          const user = await adapter
            .updateUser(guest.id, { ...changes, name, isAnonymous: false })
            .catch(async (err: unknown) => {
              // Another account took the email between our check and this write (unique index).
              const taken = changes.email ? await adapter.findUserByEmail(changes.email) : null;
              if (taken && taken.user.id !== guest.id) {
                throw APIError.from("CONFLICT", ERRORS.EMAIL_ALREADY_IN_USE);
              }
              ctx.context.logger.error("upgrade-anonymous: updating the user failed", err);
              throw APIError.from("INTERNAL_SERVER_ERROR", ERRORS.FAILED_TO_UPGRADE);
            });

          // A new session on a privilege change: a guest cookie planted or leaked earlier must not
          // become a session of the full account (session fixation). The guest's sessions end here.
          await adapter.deleteUserSessions(guest.id);
          // With requireEmailVerification, an address nobody proved gets no session, as on sign-up:
          // the guest follows the emailed link (or signs in with a code), then has the account.
          if (settings?.requireEmailVerification && user.emailVerified !== true) {
            await sendVerificationEmailFn(ctx, user);
            deleteSessionCookie(ctx);
            return ctx.json({ token: null, user: parseUserOutput(ctx.context.options, user) });
          }
          const session = await adapter.createSession(guest.id);
          if (!session) throw APIError.from("INTERNAL_SERVER_ERROR", ERRORS.FAILED_TO_UPGRADE);
          // Sets the session cookie and, when the cookie cache is on, a fresh session_data cookie, so a
          // get-session right after shows the full user. It also marks a new session for after-hooks.
          await setSessionCookie(ctx, { session, user });
          return ctx.json({ token: session.token, user: parseUserOutput(ctx.context.options, user) });
        },
      ),
    },
    $ERROR_CODES: ERRORS,
  } satisfies BetterAuthPlugin;
}

/** Whether the guest registered a passkey (passkey plugin on): then it signs in without a password. */
async function hasPasskey(context: AuthContext, userId: string): Promise<boolean> {
  if (!context.hasPlugin("passkey")) return false;
  const count = await context.adapter.count({
    model: "passkey",
    where: [{ field: "userId", value: userId }],
  });
  return count > 0;
}

function isAnonymous(user: object): boolean {
  return "isAnonymous" in user && user.isAnonymous === true;
}
