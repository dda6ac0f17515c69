/** jwt: Better Auth's asymmetric JWTs + JWKS for other services; /auth/v1/token by GET and, as the seed says, POST. */
import { jwt } from "better-auth/plugins/jwt";
import { postAlias } from "../../../reference/alias.ts";
import type { PluginModule } from "../../../spec.ts";
import { tokenByPost } from "./routes.ts";

export const jwtPlugin: PluginModule = {
  // Better Auth's defaults (EdDSA keys made on first use, kept encrypted in the jwks table,
  // iss = aud = BETTER_AUTH_URL, 15-minute tokens) except the `set-auth-jwt` header on every
  // get-session: it signs a token per call (1–2 ms on the hottest endpoint), and when the private
  // key cannot be decrypted (BETTER_AUTH_SECRET rotated) it turns every get-session into a 500.
  // Tokens come from /token, as the seed documents.
  betterAuth: () => [jwt({ disableSettingJwtHeader: true })],
  routes: tokenByPost,
  reference: (served) =>
    postAlias(
      served,
      "/token",
      { path: "/token", method: "get" },
      "No body: the session cookie is the credential.",
    ),
};
