/**
 * The issuer's signing keys, remembered per isolate: its `jwks_uri` is discovered once from its
 * authorization server metadata (RFC 8414, then OpenID discovery), and each JWKS URL gets one
 * jose remote key set, which caches the keys and fetches them again when a token names a key id it
 * has not seen (a rotated key), at most once per cooldown.
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";

const keySets = new Map<string, JWTVerifyGetKey>();
const discovered = new Map<string, Promise<string>>();
/** Isolates live long; a team's Worker trusts one or two issuers, so a small cap is plenty. */
const MAX_ENTRIES = 32;

export function keySetFor(jwksUrl: string): JWTVerifyGetKey {
  let keySet = keySets.get(jwksUrl);
  if (!keySet) {
    keySet = createRemoteJWKSet(new URL(jwksUrl));
    remember(keySets, jwksUrl, keySet);
  }
  return keySet;
}

/** The issuer's `jwks_uri`; a failed discovery is forgotten so the next request tries again. */
export function jwksUrlOf(issuer: string): Promise<string> {
  let pending = discovered.get(issuer);
  if (!pending) {
    pending = discoverJwksUrl(issuer);
    pending.catch(() => discovered.delete(issuer));
    remember(discovered, issuer, pending);
  }
  return pending;
}

/** Where an issuer's metadata may be: RFC 8414's path-inserted URL first, then OpenID's appended one. */
export function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, "");
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
    `${url.origin}/.well-known/openid-configuration${path}`,
  ];
}

async function discoverJwksUrl(issuer: string): Promise<string> {
  const tried: string[] = [];
  for (const url of metadataUrls(issuer)) {
    const res = await fetch(url, { headers: { accept: "application/json" } });
    if (!res.ok) {
      await res.body?.cancel();
      tried.push(`${url} (${res.status})`);
      continue;
    }
    const metadata = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
    // RFC 8414 §3.3: the document must name the issuer it was asked about.
    if (metadata.issuer !== issuer) {
      throw new Error(`${url} names issuer ${String(metadata.issuer)}, not ${issuer}`);
    }
    if (typeof metadata.jwks_uri !== "string") throw new Error(`${url} has no jwks_uri`);
    return metadata.jwks_uri;
  }
  throw new Error(`no authorization server metadata for ${issuer}; tried ${tried.join(", ")}`);
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_ENTRIES) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}
