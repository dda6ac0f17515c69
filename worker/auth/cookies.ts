/** Better Auth's cookie settings: scoped to the plan's cookie domain when the API and Account SPA are on two hosts. */
import type { BetterAuthOptions } from "better-auth";
import type { WorkerEnv } from "../env.ts";

type CookieSettings = Pick<NonNullable<BetterAuthOptions["advanced"]>, "crossSubDomainCookies">;

/**
 * With AUTHFORM_COOKIE_DOMAIN (the registrable domain the plan chose, never a public suffix) the
 * session cookies carry `Domain=<it>`, so a sign-in on api.example.com is also a sign-in on
 * account.example.com. Without it they stay host-only, the narrowest scope.
 */
export function cookieSettings(env: Pick<WorkerEnv, "AUTHFORM_COOKIE_DOMAIN">): CookieSettings {
  const domain = env.AUTHFORM_COOKIE_DOMAIN?.trim();
  return domain ? { crossSubDomainCookies: { enabled: true, domain } } : {};
}
