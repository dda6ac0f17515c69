/** apiKey: keys for scripts and machines, stored hashed, read from x-api-key (or ?api_key= / ?key=), org context in metadata. */
import { apiKey } from "@better-auth/api-key";
import type { PluginModule } from "../../../spec.ts";
import { bannedKeyOwnerGuard } from "./banned-owner.ts";
import { apiKeyGuards, keySessionGetter } from "./guards.ts";
import { apiKeySettings } from "./options.ts";

export const apiKeyPlugin: PluginModule = {
  audit: { ownActions: { "/api-key/create": "api-key.create", "/api-key/delete": "api-key.revoke" } },
  betterAuth: ({ manifest, options }) => {
    const { rateLimit } = apiKeySettings(options);
    return [
      // Before apiKey, so its hooks run first.
      apiKeyGuards(),
      ...(manifest.plugins.admin ? [bannedKeyOwnerGuard()] : []),
      apiKey({
        // metadata.organizationId is how a key carries its organization (read by /api/v1).
        enableMetadata: true,
        // GET /auth/v1/get-session with a key answers as the key's owner; see KEY_SESSION_PATHS.
        enableSessionForAPIKeys: true,
        customAPIKeyGetter: keySessionGetter,
        rateLimit,
      }),
    ];
  },
};
