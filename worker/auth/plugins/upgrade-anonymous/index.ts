/** upgradeAnonymous: `POST /auth/v1/upgrade-anonymous` turns the current guest into a full user (same id, data kept). */
import type { PluginModule } from "../../../spec.ts";
import { upgradeAnonymous } from "./plugin.ts";

export const upgradeAnonymousPlugin: PluginModule = {
  betterAuth: () => [upgradeAnonymous()],
};
