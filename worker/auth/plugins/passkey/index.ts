/** passkey: Better Auth's WebAuthn plugin with ACCOUNT_URL as relying party, at its own paths and the seed's. */
import { passkey } from "@better-auth/passkey";
import type { PluginModule } from "../../../spec.ts";
import { passkeySettings } from "./options.ts";
import { passkeyReference } from "./reference.ts";
import { relyingParty } from "./relying-party.ts";
import { passkeyRequiresUserVerification } from "./require-user-verification.ts";
import { passkeySeedRoutes } from "./routes.ts";
import { passkeyNeedsVerifiedEmail } from "./verified-email-only.ts";

export const passkeyPlugin: PluginModule = {
  audit: {
    signIns: { "/passkey/verify-authentication": "passkey" },
    ownActions: {
      "/passkey/verify-registration": "passkey.add",
      "/passkey/delete-passkey": "passkey.remove",
    },
  },
  betterAuth: ({ env, options }) => {
    const { userVerification } = passkeySettings(options);
    return [
      passkey({ ...relyingParty(env), authenticatorSelection: { userVerification } }),
      passkeyNeedsVerifiedEmail(),
      ...(userVerification === "required" ? [passkeyRequiresUserVerification()] : []),
    ];
  },
  routes: passkeySeedRoutes,
  reference: passkeyReference,
};
