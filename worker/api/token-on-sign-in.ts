/** A Better Auth plugin that hands out a fast-path token whenever a session is created (set-auth-token). */
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import type { RuntimeManifest } from "../../src/contract/manifest.ts";
import { mustEnroll } from "../auth/plugins/two-factor/options.ts";
import type { WorkerEnv } from "../env.ts";
import { mintFastPathToken } from "./mint-token.ts";

export const FAST_PATH_TOKEN_HEADER = "set-auth-token";

export function fastPathTokenOnSignIn(env: WorkerEnv, manifest: RuntimeManifest): BetterAuthPlugin {
  return {
    id: "authform-fast-path-token",
    hooks: {
      after: [
        {
          matcher: () => true,
          handler: createAuthMiddleware(async (ctx) => {
            const created = ctx.context.newSession;
            if (!created) return;
            // `twoFactor: { required: true }`: none for a user still to enroll (POST /api/v1/token after).
            if (mustEnroll(manifest, created.user)) return;
            const { token } = await mintFastPathToken(env, manifest, created);
            ctx.setHeader(FAST_PATH_TOKEN_HEADER, token);
          }),
        },
      ],
    },
  };
}
