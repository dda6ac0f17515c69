/**
 * Better Auth's genericOAuth plugin for the config's `genericOAuth` providers (discovery, PKCE, a
 * nonce-bound, JWKS-verified id_token). Its own module: the generated entry imports it only for a
 * config with generic providers, so other social Workers bundle none of it.
 */
import type { BetterAuthPlugin } from "better-auth";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import type { GenericProviderSettings } from "./social-providers.ts";

export function genericOAuthPlugin(providers: GenericProviderSettings[]): BetterAuthPlugin {
  return genericOAuth({ config: providers });
}
