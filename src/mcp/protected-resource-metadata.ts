/**
 * The resource's protected resource metadata (RFC 9728): what an MCP client reads after a 401 to
 * find the authorization server. Served by the resource server itself, at the path-inserted
 * well-known URL on the resource's own host.
 */

export interface ProtectedResourceMetadataOptions {
  /** This server's resource URL, as declared in `oauthProvider.resources`. */
  resource: string;
  /** The authorization server's issuer, e.g. `"https://auth.example.com/auth/v1"`. */
  issuer: string;
  /** The scopes clients may ask for; MCP clients ask for these when a 401 names none. @default omitted */
  scopesSupported?: string[];
  /** A name for people, shown by some clients. @default omitted */
  resourceName?: string;
}

export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported?: string[];
  bearer_methods_supported: string[];
  resource_name?: string;
}

const WELL_KNOWN = "/.well-known/oauth-protected-resource";

/** `https://api.example.com/mcp` → `/.well-known/oauth-protected-resource/mcp` (RFC 9728 §3.1). */
export function protectedResourceMetadataPath(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === "/" ? "" : url.pathname;
  return `${WELL_KNOWN}${path}${url.search}`;
}

/** The document's absolute URL: what `resource_metadata` in WWW-Authenticate points at. */
export function protectedResourceMetadataUrl(resource: string): string {
  return `${new URL(resource).origin}${protectedResourceMetadataPath(resource)}`;
}

export function protectedResourceMetadata(
  options: ProtectedResourceMetadataOptions,
): ProtectedResourceMetadata {
  return {
    resource: options.resource,
    authorization_servers: [options.issuer],
    ...(options.scopesSupported ? { scopes_supported: options.scopesSupported } : {}),
    // Only the header: tokens in query strings or form bodies are refused.
    bearer_methods_supported: ["header"],
    ...(options.resourceName ? { resource_name: options.resourceName } : {}),
  };
}

/**
 * A fetch handler for the document; mount it at protectedResourceMetadataPath(resource). Public,
 * so any origin may read it (browser-based MCP clients fetch it cross-origin).
 */
export function protectedResourceMetadataHandler(
  options: ProtectedResourceMetadataOptions,
): (request: Request) => Response {
  const body = JSON.stringify(protectedResourceMetadata(options));
  return (request) => {
    const cors = { "access-control-allow-origin": "*" };
    if (request.method === "OPTIONS") {
      return new Response(null, {
        status: 204,
        headers: { ...cors, "access-control-allow-methods": "GET, OPTIONS", "access-control-max-age": "600" },
      });
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response(null, { status: 405, headers: { allow: "GET, HEAD, OPTIONS" } });
    }
    return new Response(request.method === "HEAD" ? null : body, {
      headers: { ...cors, "content-type": "application/json", "cache-control": "public, max-age=3600" },
    });
  };
}
