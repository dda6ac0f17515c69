/**
 * A banned user's key acts as no one. Better Auth's apiKey plugin turns a key offered at
 * KEY_SESSION_PATHS into its owner's session without looking at the admin plugin's ban (1.7.29), so
 * after a ban the key would still answer get-session as that user. Listed before apiKey, this finds
 * the key's owner the way apiKey does (its hash, then the user) and refuses while the ban lasts.
 * /api/v1 checks the owner itself (worker/api/key-owner.ts). Only stacks with the admin plugin.
 */
import { defaultKeyHasher } from "@better-auth/api-key";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { API_KEY_GUARD_ERROR_CODES as ERRORS } from "./error-codes.ts";
import { API_KEY_LENGTH, keySessionGetter } from "./guards.ts";

interface BanFields {
  banned?: boolean | null;
  banExpires?: Date | string | null;
}

/** A ban whose expiry has passed no longer counts, as at sign-in. */
export function isBanned(user: BanFields, now = Date.now()): boolean {
  if (user.banned !== true) return false;
  return !user.banExpires || new Date(user.banExpires).getTime() > now;
}

export function bannedKeyOwnerGuard(): BetterAuthPlugin {
  return {
    id: "authform-api-key-banned-owner",
    $ERROR_CODES: ERRORS,
    hooks: {
      before: [
        {
          matcher: (ctx) => (keySessionGetter(ctx)?.length ?? 0) >= API_KEY_LENGTH,
          handler: createAuthMiddleware(async (ctx) => {
            const key = keySessionGetter(ctx) as string;
            const row = await ctx.context.adapter.findOne<{ referenceId: string }>({
              model: "apikey",
              where: [{ field: "key", value: await defaultKeyHasher(key) }],
            });
            // Unknown key: apiKey answers as it always does.
            if (!row) return;
            const owner = await ctx.context.internalAdapter.findUserById(row.referenceId);
            if (owner && isBanned(owner as BanFields))
              throw APIError.from("FORBIDDEN", ERRORS.KEY_OWNER_BANNED);
          }),
        },
      ],
    },
  };
}
