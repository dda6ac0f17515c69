/**
 * The fast-path token: a compact HS256 JWT carrying the user's identity and org context, signed
 * and verified with Web Crypto so /api/v1 authenticates a request without a database query.
 */
import {
  tokenAlgorithmRejected,
  tokenClaimInvalid,
  tokenExpired,
  tokenKeyUnknown,
  tokenMalformed,
  tokenNotYetValid,
  tokenSignatureInvalid,
} from "./token-errors.ts";

export interface FastPathClaims {
  sub: string;
  orgId: string | null;
  role: string | null;
  userRole: string;
  email: string;
  name: string;
  /** Present, and true, only for a guest (see ApiAuth.isAnonymous). */
  anon?: true;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
}

export interface FastPathKey {
  kid: string;
  key: CryptoKey;
}

export interface VerifyOptions {
  issuer: string;
  audience: string;
  /** Seconds since the epoch. */
  now: number;
  /** The longest lifetime a token may claim: bounds how long a rotated-out key stays useful. */
  maxLifetimeSeconds: number;
  /** Tolerated clock difference, seconds. @default 30 */
  clockSkewSeconds?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const HEADER_ALG = "HS256";

/** A dedicated signing key derived from the stack secret (HKDF), so the raw secret signs nothing else here. */
export async function deriveFastPathKey(secret: string): Promise<FastPathKey> {
  const material = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: new Uint8Array(0),
      info: encoder.encode("authform fast-path jwt v1"),
    },
    material,
    256,
  );
  const key = await crypto.subtle.importKey("raw", bits, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
  // The kid names the key without revealing it: a hash of the derived bits, truncated.
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bits));
  return { kid: base64url(digest.subarray(0, 9)), key };
}

export async function signFastPathToken(claims: FastPathClaims, signingKey: FastPathKey): Promise<string> {
  const header = base64url(
    encoder.encode(JSON.stringify({ alg: HEADER_ALG, typ: "JWT", kid: signingKey.kid })),
  );
  const payload = base64url(encoder.encode(JSON.stringify(claims)));
  const input = `${header}.${payload}`;
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", signingKey.key, encoder.encode(input)));
  return `${input}.${base64url(signature)}`;
}

/** Verifies signature, algorithm, key id, time window, issuer and audience; throws a FastPathTokenError. */
export async function verifyFastPathToken(
  token: string,
  keys: readonly FastPathKey[],
  options: VerifyOptions,
): Promise<FastPathClaims> {
  const parts = token.split(".");
  if (parts.length !== 3) throw tokenMalformed();
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  // Only HS256 is ever accepted: no "none", no RS/ES (key confusion), no alg switching.
  if (header.alg !== HEADER_ALG) throw tokenAlgorithmRejected(header.alg);
  if (typeof header.kid !== "string") throw tokenKeyUnknown();
  const signingKey = keys.find((k) => k.kid === header.kid);
  if (!signingKey) throw tokenKeyUnknown();

  const signature = decodeBase64url(signaturePart);
  if (!signature) throw tokenMalformed();
  // crypto.subtle.verify compares in constant time.
  const valid = await crypto.subtle.verify(
    "HMAC",
    signingKey.key,
    signature,
    encoder.encode(`${headerPart}.${payloadPart}`),
  );
  if (!valid) throw tokenSignatureInvalid();

  const claims = decodeJson(payloadPart);
  const skew = options.clockSkewSeconds ?? 30;
  if (typeof claims.exp !== "number" || typeof claims.iat !== "number") throw tokenClaimInvalid("exp");
  if (claims.exp - claims.iat > options.maxLifetimeSeconds) throw tokenClaimInvalid("exp");
  if (options.now >= claims.exp + skew) throw tokenExpired();
  if (claims.iat > options.now + skew) throw tokenNotYetValid();
  if (claims.iss !== options.issuer) throw tokenClaimInvalid("iss");
  if (claims.aud !== options.audience) throw tokenClaimInvalid("aud");
  if (typeof claims.sub !== "string" || claims.sub === "") throw tokenClaimInvalid("sub");
  return claims as unknown as FastPathClaims;
}

function decodeJson(part: string): Record<string, unknown> {
  const bytes = decodeBase64url(part);
  if (!bytes) throw tokenMalformed();
  try {
    const value: unknown = JSON.parse(decoder.decode(bytes));
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw tokenMalformed();
    return value as Record<string, unknown>;
  } catch {
    throw tokenMalformed();
  }
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}
