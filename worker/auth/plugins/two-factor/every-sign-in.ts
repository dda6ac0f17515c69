/**
 * The second factor after every sign-in that proves one factor, not only after a password. Better
 * Auth's twoFactor asks only after `/sign-in/email` (and username / phone number): an email code, a
 * magic link or a social account would let whoever holds the inbox or the provider account past an
 * account's two-factor. Here its own after-hook (which ends the new session, sets the pending
 * sign-in cookie and answers `twoFactorRedirect`) also runs for those. A passkey with user
 * verification is two factors already, and a guest has none to ask.
 *
 * The magic link and the social callback are browser navigations: instead of a JSON answer they
 * land on the Account SPA's code step, which then goes on to where the sign-in was headed.
 */
import type { BetterAuthPlugin } from "better-auth";
import { APIError } from "better-auth/api";
import { markInboxFirst } from "./emailed-code.ts";

/** One-factor sign-ins answered with JSON. */
const JSON_SIGN_INS = new Set(["/sign-in/email-otp"]);
/** One-factor sign-ins that end in a redirect. */
const NAVIGATIONS = new Set(["/magic-link/verify", "/callback/:id"]);

type AfterHook = NonNullable<NonNullable<BetterAuthPlugin["hooks"]>["after"]>[number];
// What Better Auth hands an after-hook (the matcher and the handler get the same context).
type HookContext = Parameters<AfterHook["matcher"]>[0];

export function secondFactorOnEverySignIn(plugin: BetterAuthPlugin, accountUrl: string): BetterAuthPlugin {
  const [challenge, ...others] = plugin.hooks?.after ?? [];
  if (!challenge) throw new Error("Better Auth's twoFactor plugin no longer has its sign-in hook");
  // A hook's handler answers `{ headers, response }` (the pending sign-in's cookies are in `headers`).
  const ask = challenge.handler as (ctx: HookContext) => Promise<HookResult>;
  const handler = async (ctx: HookContext): Promise<HookResult> => {
    const result = await ask(ctx);
    const path = ctx.path ?? "";
    const oneFactorNotPassword = JSON_SIGN_INS.has(path) || NAVIGATIONS.has(path);
    if (oneFactorNotPassword && asksForSecondFactor(result.response))
      await markInboxFirst(
        ctx as unknown as Parameters<typeof markInboxFirst>[0],
        new Headers(result.headers ?? undefined),
      );
    if (!NAVIGATIONS.has(path) || !asksForSecondFactor(result.response)) return result;
    // Where the navigation was going (the link's callbackURL, the social sign-in's target).
    const headedTo = ctx.context.responseHeaders?.get("location");
    const login = new URL("/login", accountUrl);
    login.searchParams.set("second-factor", "1");
    if (headedTo) login.searchParams.set("redirect", headedTo);
    const headers = new Headers(result.headers ?? undefined);
    headers.set("location", login.href);
    return { headers, response: new APIError("FOUND", undefined, headers) };
  };
  return {
    ...plugin,
    hooks: {
      ...plugin.hooks,
      after: [
        {
          matcher: (ctx) =>
            challenge.matcher(ctx) || JSON_SIGN_INS.has(ctx.path ?? "") || NAVIGATIONS.has(ctx.path ?? ""),
          handler: handler as unknown as AfterHook["handler"],
        },
        ...others,
      ],
    },
  };
}

interface HookResult {
  headers?: Headers | Record<string, string> | null;
  response?: unknown;
}

function asksForSecondFactor(answer: unknown): boolean {
  return (
    typeof answer === "object" &&
    answer !== null &&
    (answer as { twoFactorRedirect?: unknown }).twoFactorRedirect === true
  );
}
