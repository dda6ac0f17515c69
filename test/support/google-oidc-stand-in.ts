/**
 * A Google-shaped OpenID Provider on loopback (oidc-stand-in.ts): Google's paths (authorization
 * /o/oauth2/v2/auth, token /token, JWKS /oauth2/v3/certs, userinfo /v1/userinfo) and the email
 * claims in the id_token as Google puts them.
 */
import { type OidcStandIn, startOidcStandIn } from "./oidc-stand-in.ts";

export interface GoogleAccount {
  sub: string;
  email: string;
  /** Google sends a boolean; a stand-in may send anything, to see how it is read. */
  email_verified: boolean | string;
  name: string;
}

export interface GoogleStandIn extends OidcStandIn {
  /** The next call to this path answers 500 (a Google outage). */
  failNext(path: "/token"): void;
}

export function startGoogleStandIn(
  client: { clientId: string; clientSecret: string; callbackUrl: string },
  accounts: GoogleAccount[],
): Promise<GoogleStandIn> {
  return startOidcStandIn({
    client,
    accounts,
    title: "Google",
    routes: {
      authorization: "/o/oauth2/v2/auth",
      token: "/token",
      jwks: "/oauth2/v3/certs",
      userinfo: "/v1/userinfo",
    },
    // Google puts email, email_verified and name in the id_token, which Better Auth reads.
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  });
}
