/**
 * A Microsoft-identity-platform-shaped OpenID Provider on loopback (oidc-stand-in.ts): the v2.0
 * endpoints under the tenant (/<tenant>/oauth2/v2.0/authorize and /token, /<tenant>/discovery/v2.0/keys),
 * an id_token with `oid` (the stable user id) and `tid`, and `email` as Microsoft sends it: an
 * address the user typed, verified only when `verified_primary_email` lists it (an optional claim).
 * Microsoft Graph's profile photo (/v1.0/me/photos/<size>/$value) answers 404 ImageNotFound, as it
 * does for an account without a photo.
 */
import { type OidcStandIn, startOidcStandIn } from "./oidc-stand-in.ts";

export interface MicrosoftAccount {
  sub: string;
  /** The object id: the same user in every app of the tenant. */
  oid: string;
  /** The tenant id; 9188040d-… for personal accounts. */
  tid: string;
  email: string;
  name: string;
  preferred_username: string;
  /** Optional claim: the addresses Microsoft verified. */
  verified_primary_email?: string[];
}

export function startMicrosoftStandIn(
  client: { clientId: string; clientSecret: string; callbackUrl: string },
  accounts: MicrosoftAccount[],
  tenant = "common",
): Promise<OidcStandIn> {
  return startOidcStandIn({
    client,
    accounts,
    title: "Microsoft",
    routes: {
      authorization: `/${tenant}/oauth2/v2.0/authorize`,
      token: `/${tenant}/oauth2/v2.0/token`,
      jwks: `/${tenant}/discovery/v2.0/keys`,
      userinfo: "/oidc/userinfo",
    },
    // Graph's scope and offline_access are granted there; this stand-in has no refresh tokens.
    scopes: ["User.Read"],
    claims: {
      openid: ["sub", "oid", "tid"],
      email: ["email", "verified_primary_email"],
      profile: ["name", "preferred_username"],
    },
    extra: (_req, res, path) => {
      if (!/^\/v1\.0\/me\/photos\/\d+x\d+\/\$value$/.test(path)) return false;
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "ImageNotFound", message: "The photo wasn't found." } }));
      return true;
    },
  });
}
