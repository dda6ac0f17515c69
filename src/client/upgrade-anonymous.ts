/** The client side of authform's own `POST /auth/v1/upgrade-anonymous` (a guest keeps its account). */
import type { BetterAuthClientPlugin } from "better-auth/client";

export interface UpgradeAnonymousResult {
  user: { id: string; email: string; isAnonymous: boolean };
}

export const upgradeAnonymousClient = () =>
  ({
    id: "upgrade-anonymous",
    getActions: ($fetch) => ({
      /** Turns the signed-in guest into a full user once it has its own way in (a verified email or a passkey). */
      upgradeAnonymous: () =>
        $fetch<UpgradeAnonymousResult>("/upgrade-anonymous", { method: "POST", body: {} }),
    }),
  }) satisfies BetterAuthClientPlugin;
