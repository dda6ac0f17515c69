/**
 * The answer to a request without a good token: the status and the `WWW-Authenticate: Bearer`
 * challenge (RFC 6750 §3, RFC 9728 §5.1) that sends an MCP client to the resource's metadata.
 */
import { AccessTokenError, type MissingAccessTokenError } from "./access-token-error.ts";
import { protectedResourceMetadataUrl } from "./protected-resource-metadata.ts";

export interface ChallengeOptions {
  /** This server's resource URL. */
  resource: string;
  /** The scopes the request needs, named in `scope=`. @default omitted (clients ask for the metadata's scopes_supported) */
  requiredScopes?: string[];
}

export function wwwAuthenticate(
  error: AccessTokenError | MissingAccessTokenError,
  options: ChallengeOptions,
): string {
  const params: [string, string][] = [["resource_metadata", protectedResourceMetadataUrl(options.resource)]];
  const scopes =
    error instanceof AccessTokenError && error.scopes.length > 0 ? error.scopes : options.requiredScopes;
  if (scopes && scopes.length > 0) params.push(["scope", scopes.join(" ")]);
  if (error instanceof AccessTokenError) {
    params.push(["error", error.code], ["error_description", error.description]);
  }
  return `Bearer ${params.map(([name, value]) => `${name}="${quoted(value)}"`).join(", ")}`;
}

/** The response for a refused request: JSON body too, for people reading it with curl. */
export function challengeResponse(
  error: AccessTokenError | MissingAccessTokenError,
  options: ChallengeOptions,
): Response {
  const body =
    error instanceof AccessTokenError
      ? { error: error.code, error_description: error.description }
      : { error: "unauthorized", error_description: error.message };
  return Response.json(body, {
    status: error.status,
    headers: {
      "www-authenticate": wwwAuthenticate(error, options),
      // Browser-based MCP clients read the challenge cross-origin.
      "access-control-expose-headers": "WWW-Authenticate",
    },
  });
}

/** A quoted-string's content (RFC 9110 §5.6.4): backslash and double quote escaped. */
function quoted(value: string): string {
  return value.replace(/[\\"]/g, "\\$&");
}
