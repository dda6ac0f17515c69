/**
 * Verifies an access token for one resource server: the issuer's signature (keys from its JWKS),
 * `iss`, `aud` equal to this resource (RFC 8707: a token for another resource is not ours), expiry,
 * and the scopes this request needs.
 */
import { errors, type JWTPayload, jwtVerify } from "jose";
import { AccessTokenError } from "./access-token-error.ts";
import { bearerTokenOf } from "./bearer-token.ts";
import { jwksUrlOf, keySetFor } from "./issuer-keys.ts";

export interface VerifyAccessTokenOptions {
  /** The authorization server's issuer, exactly as its metadata names it, e.g. `"https://auth.example.com/auth/v1"`. */
  issuer: string;
  /** This server's resource URL, as declared in `oauthProvider.resources`; tokens must carry it as `aud`. */
  resource: string;
  /** The issuer's JWKS. @default discovered from the issuer's metadata (`jwks_uri`) */
  jwksUrl?: string;
  /** Scopes every token must carry; one missing is 403 insufficient_scope. @default [] */
  requiredScopes?: string[];
}

/** What a verified token says. */
export interface VerifiedAccessToken {
  token: string;
  /** The user the token acts for (`sub`). */
  subject?: string;
  /** The OAuth client that holds the token (`azp`, else `client_id`). */
  clientId?: string;
  scopes: string[];
  /** Seconds since the epoch (`exp`). */
  expiresAt?: number;
  claims: JWTPayload;
}

/** JOSE failures that are the server's (its JWKS could not be read), not the token's. */
const NOT_THE_TOKENS_FAULT = new Set(["ERR_JOSE_GENERIC", "ERR_JWKS_TIMEOUT", "ERR_JWKS_INVALID"]);

/**
 * Throws AccessTokenError (invalid_request, invalid_token or insufficient_scope) or
 * MissingAccessTokenError when a Request carries no token; other errors (the issuer unreachable)
 * are the server's and propagate.
 */
export async function verifyAccessToken(
  input: Request | string,
  options: VerifyAccessTokenOptions,
): Promise<VerifiedAccessToken> {
  const token = typeof input === "string" ? input : bearerTokenOf(input);
  const keys = keySetFor(options.jwksUrl ?? (await jwksUrlOf(options.issuer)));
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, keys, {
      issuer: options.issuer,
      audience: options.resource,
      requiredClaims: ["exp"],
    }));
  } catch (error) {
    if (error instanceof errors.JOSEError && !NOT_THE_TOKENS_FAULT.has(error.code)) {
      throw new AccessTokenError("invalid_token", describe(error));
    }
    throw error;
  }
  const scopes = typeof claims.scope === "string" ? claims.scope.split(" ").filter(Boolean) : [];
  const missing = (options.requiredScopes ?? []).filter((scope) => !scopes.includes(scope));
  if (missing.length > 0) {
    throw new AccessTokenError(
      "insufficient_scope",
      `the token lacks scope ${missing.join(" ")}`,
      options.requiredScopes,
    );
  }
  return {
    token,
    subject: claims.sub,
    clientId: stringClaim(claims.azp) ?? stringClaim(claims.client_id),
    scopes,
    expiresAt: claims.exp,
    claims,
  };
}

function describe(error: InstanceType<typeof errors.JOSEError>): string {
  if (error instanceof errors.JWTExpired) return "the token has expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud") return "the token is for another resource (aud)";
    if (error.claim === "iss") return "the token is from another issuer (iss)";
    return `the token's ${error.claim} claim is not valid`;
  }
  if (error instanceof errors.JWKSNoMatchingKey) return "the token is not signed by a key of the issuer";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the token's signature does not verify";
  return "the token is not a valid JWT";
}

function stringClaim(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
