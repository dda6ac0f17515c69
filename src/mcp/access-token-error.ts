/**
 * Why a request's access token was not accepted, as RFC 6750 §3.1 names it: the code, the HTTP
 * status it is answered with, and a description for the WWW-Authenticate header.
 */
export type AccessTokenErrorCode = "invalid_request" | "invalid_token" | "insufficient_scope";

const STATUS: Record<AccessTokenErrorCode, number> = {
  invalid_request: 400,
  invalid_token: 401,
  insufficient_scope: 403,
};

export class AccessTokenError extends Error {
  override readonly name = "AccessTokenError";
  readonly status: number;

  constructor(
    readonly code: AccessTokenErrorCode,
    readonly description: string,
    /** For insufficient_scope: the scopes the request needs. */
    readonly scopes: string[] = [],
  ) {
    super(`${code}: ${description}`);
    this.status = STATUS[code];
  }
}

/** No Authorization header at all: 401 without an error code (RFC 6750 §3.1), so the client starts OAuth. */
export class MissingAccessTokenError extends Error {
  override readonly name = "MissingAccessTokenError";
  readonly status = 401;
  constructor() {
    super("no access token: send it as Authorization: Bearer <token>");
  }
}
