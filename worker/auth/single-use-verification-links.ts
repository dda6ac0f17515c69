/**
 * Makes an email-verification link work once. Better Auth's `/verify-email` token is a signed JWT
 * with no server-side state: every use until it expires (20 at once, in
 * test/hardening/one-time-secrets.test.ts) ran the flow again and answered success, and with
 * `autoSignInAfterVerification` each would mint a session. The first use of a valid token now leaves
 * a tombstone row in D1; every later or concurrent use finds it taken. A valid link refused for
 * another reason after that (signed in as someone else) is spent too: the user asks for a new one.
 */
import { createHash } from "@better-auth/utils/hash";
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import { jwtVerify } from "jose";

/** What a spent token is replaced with: not a JWT, so Better Auth answers `INVALID_TOKEN` its own way. */
const SPENT = "spent";

export function singleUseVerificationLinks(): BetterAuthPlugin {
  return {
    id: "authform-single-use-verification-links",
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === "/verify-email",
          handler: createAuthMiddleware(async (ctx) => {
            const token: unknown = ctx.query?.token;
            if (typeof token !== "string") return;
            // Only a token Better Auth would accept gets a tombstone: junk writes no row.
            let expiresAt: Date;
            try {
              const { payload } = await jwtVerify(token, new TextEncoder().encode(ctx.context.secret), {
                algorithms: ["HS256"],
              });
              expiresAt = new Date((payload.exp ?? Math.floor(Date.now() / 1000) + 3600) * 1000);
            } catch {
              return;
            }
            // One INSERT on a primary key derived from the token's hash: the first caller wins,
            // atomically, however many arrive at once (internal-adapter `reserveVerificationValue`).
            const digest = await createHash("SHA-256", "base64urlnopad").digest(token);
            const first = await ctx.context.internalAdapter.reserveVerificationValue({
              identifier: `verify-email-used:${digest}`,
              value: "used",
              expiresAt,
            });
            // Better Auth then refuses it as it refuses any bad token (redirect with ?error=, or 401),
            // after its own callbackURL check: this hook never redirects anywhere itself.
            if (!first) return { context: { query: { ...ctx.query, token: SPENT } } };
          }),
        },
      ],
    },
  };
}
