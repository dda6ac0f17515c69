/**
 * Social sign-in as one module: the generated entry imports it only when the config has
 * socialProviders or genericOAuth, so other Workers bundle none of this, and Better Auth's
 * genericOAuth plugin (generic-oauth.ts) only when it has genericOAuth (test/generate/social-bundle).
 */
import type { BetterAuthPlugin } from "better-auth";
import {
  FORM_POST_ORIGINS,
  SOCIAL_PROVIDERS,
  type SocialProviderId,
} from "../../../src/contract/social-providers.ts";
import type { SocialSignIn } from "../auth-spec.ts";
import { installLoopbackFetch, loopbackEndpoints, redirectAuthorizationUrls } from "./loopback-endpoints.ts";
import { iconSprite } from "./provider-icons.ts";
import {
  accountOptions,
  type GenericProviderSettings,
  genericProviderSettings,
  signInProviders,
  socialErrorPage,
  socialProviderSettings,
} from "./social-providers.ts";

/** Social sign-in, with Better Auth's genericOAuth plugin when the config has generic providers. */
export const socialSignIn = (
  genericOAuth?: (providers: GenericProviderSettings[]) => BetterAuthPlugin,
): SocialSignIn => ({
  betterAuth(env, manifest) {
    const socialProviders = socialProviderSettings(env, manifest);
    const generic = genericProviderSettings(env, manifest);
    const loopback = loopbackEndpoints(env);
    // Apple posts its answer (form_post) from its own origin: a POST with cookies needs it trusted.
    const formPost = (Object.keys(socialProviders) as SocialProviderId[]).flatMap((id) => {
      const origin = FORM_POST_ORIGINS[id];
      if (!origin) return [];
      // Locally its stand-in posts instead (the origin its authorization endpoint maps to).
      const local = loopback?.(SOCIAL_PROVIDERS[id].endpoints[0] as string);
      return [local ? new URL(local).origin : origin];
    });
    return {
      socialProviders,
      account: accountOptions(manifest),
      onAPIError: socialErrorPage(env, manifest),
      trustedOrigins: formPost,
      plugins: generic.length > 0 && genericOAuth ? [genericOAuth(generic)] : [],
    };
  },
  attach(auth, env) {
    // Local mode and tests: providers' endpoints on loopback stand-ins (AUTHFORM_SOCIAL_LOOPBACK).
    const loopback = loopbackEndpoints(env);
    if (!loopback) return;
    installLoopbackFetch(loopback);
    // Registered before any request awaits the context, so the first sign-in already goes to the stand-in.
    void auth.$context.then((context) => redirectAuthorizationUrls(context.socialProviders, loopback));
  },
  buttons: signInProviders,
  iconSprite: (env, manifest) => iconSprite(signInProviders(env, manifest)),
});
