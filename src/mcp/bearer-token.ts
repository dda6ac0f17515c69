/**
 * The access token of a request: only from the Authorization header. A token in the query string
 * (`access_token=`) is refused, as MCP and RFC 9700 require: URLs end up in logs and Referer headers.
 */
import { AccessTokenError, MissingAccessTokenError } from "./access-token-error.ts";

export function bearerTokenOf(request: Request): string {
  if (new URL(request.url).searchParams.has("access_token")) {
    throw new AccessTokenError(
      "invalid_request",
      "access tokens are not accepted in the query string; send Authorization: Bearer <token>",
    );
  }
  const header = request.headers.get("authorization");
  if (header === null || header.trim() === "") throw new MissingAccessTokenError();
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  if (!match?.[1]) {
    throw new AccessTokenError("invalid_request", "the Authorization header is not Bearer <token>");
  }
  return match[1];
}
