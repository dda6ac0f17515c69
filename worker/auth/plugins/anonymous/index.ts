/** Guest sessions: Better Auth's anonymous plugin, `POST /auth/v1/sign-in/anonymous`. */
import { anonymous } from "better-auth/plugins/anonymous";
import type { PluginModule } from "../../../spec.ts";

export const anonymousPlugin: PluginModule = {
  audit: { signIns: { "/sign-in/anonymous": "anonymous" } },
  // Better Auth's defaults: a guest who later signs in to an existing account is deleted (the
  // anonymous plugin's link hook); a guest who upgrades in place (upgradeAnonymous) keeps its id.
  betterAuth: () => [anonymous()],
};
