/**
 * A local stack with Apple, Microsoft, Discord and a generic OpenID provider (genericOAuth "acme-idp",
 * named "Acme SSO"), each a stand-in on loopback: Apple, Microsoft and Discord through
 * AUTHFORM_SOCIAL_LOOPBACK, the generic one by its discovery URL (test/fixtures/more-social.config.ts).
 */
import { type AppleStandIn, appleClientSecret, startAppleStandIn } from "./apple-stand-in.ts";
import { type DiscordStandIn, startDiscordStandIn } from "./discord-stand-in.ts";
import { type MicrosoftAccount, startMicrosoftStandIn } from "./microsoft-oidc-stand-in.ts";
import { type OidcAccount, type OidcStandIn, startOidcStandIn } from "./oidc-stand-in.ts";
import { freePort, localEnv, type RunningStack, startStack } from "./stack.ts";

export const MORE_SOCIAL_APP = "more-social-test";
const CONFIG = ["--config", "test/fixtures/more-social.config.ts"];
const MICROSOFT = { clientId: "00000000-aaaa-4bbb-8ccc-000000000001", clientSecret: "ms-secret-0123456789" };
const DISCORD = { clientId: "1234567890123456789", clientSecret: "discord-secret-0123456789" };
const APPLE = { clientId: "com.example.more-social.web", teamId: "TEAM123456" };
const ACME = { clientId: "acme-client", clientSecret: "acme-secret-0123456789" };

export interface MoreSocialStack {
  stack: RunningStack;
  apple: AppleStandIn;
  microsoft: OidcStandIn;
  discord: DiscordStandIn;
  /** The generic OpenID provider, found by discovery. */
  acme: OidcStandIn;
  /** Stops the stack and closes the stand-ins (the run destroys the stage after its last file). */
  stop(): Promise<void>;
}

export async function startMoreSocialStack(
  stage: string,
  accounts: { microsoft: MicrosoftAccount[]; acme: OidcAccount[] },
): Promise<MoreSocialStack> {
  const port = await freePort();
  // The callback URLs registered at the providers: the stack's own, as its dashboards would list them.
  const callback = (id: string) => `http://localhost:${port}/auth/v1/callback/${id}`;
  const { secret: appleSecret, key } = await appleClientSecret(APPLE.teamId, APPLE.clientId);
  const apple = await startAppleStandIn({ ...APPLE, key, callbackUrl: callback("apple") });
  const microsoft = await startMicrosoftStandIn(
    { ...MICROSOFT, callbackUrl: callback("microsoft") },
    accounts.microsoft,
  );
  const discord = await startDiscordStandIn({ ...DISCORD, callbackUrl: callback("discord") });
  const acme = await startOidcStandIn({
    client: { ...ACME, callbackUrl: callback("acme-idp") },
    accounts: accounts.acme,
    title: "Acme",
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  });
  const close = () => Promise.all([apple.close(), microsoft.close(), discord.close(), acme.close()]);
  const stack = await startStack(stage, {
    port,
    args: CONFIG,
    env: localEnv({
      APPLE_CLIENT_ID: APPLE.clientId,
      APPLE_CLIENT_SECRET: appleSecret,
      MICROSOFT_CLIENT_ID: MICROSOFT.clientId,
      MICROSOFT_CLIENT_SECRET: MICROSOFT.clientSecret,
      DISCORD_CLIENT_ID: DISCORD.clientId,
      DISCORD_CLIENT_SECRET: DISCORD.clientSecret,
      ACME_IDP_CLIENT_ID: ACME.clientId,
      ACME_IDP_CLIENT_SECRET: ACME.clientSecret,
      MORE_SOCIAL_TEST_DISCOVERY: `${acme.origin}/.well-known/openid-configuration`,
      AUTHFORM_SOCIAL_LOOPBACK: `apple=${apple.origin},microsoft=${microsoft.origin},discord=${discord.origin}`,
    }),
  }).catch(async (err: unknown) => {
    await close();
    throw err;
  });
  return {
    stack,
    apple,
    microsoft,
    discord,
    acme,
    stop: async () => {
      await stack.stop();
      await close();
    },
  };
}
