/**
 * For a plain fetch handler: the request's verified token, or the response that refuses it
 * (400, 401 or 403 with its WWW-Authenticate challenge).
 */
import { AccessTokenError, MissingAccessTokenError } from "./access-token-error.ts";
import { challengeResponse } from "./challenge.ts";
import {
  type VerifiedAccessToken,
  type VerifyAccessTokenOptions,
  verifyAccessToken,
} from "./verify-access-token.ts";

export async function authenticateRequest(
  request: Request,
  options: VerifyAccessTokenOptions,
): Promise<VerifiedAccessToken | Response> {
  try {
    return await verifyAccessToken(request, options);
  } catch (error) {
    if (error instanceof AccessTokenError || error instanceof MissingAccessTokenError) {
      return challengeResponse(error, options);
    }
    throw error;
  }
}

/** Checks options once, when the server is built: a typo should fail at startup, not per request. */
export function checkResourceServerOptions(options: VerifyAccessTokenOptions, caller: string): void {
  for (const name of ["issuer", "resource"] as const) {
    const value = options[name];
    if (typeof value !== "string" || !URL.canParse(value)) {
      throw new TypeError(
        `${caller} requires options.${name} to be an absolute URL, got ${JSON.stringify(value)}`,
      );
    }
  }
  if (options.jwksUrl !== undefined && !URL.canParse(options.jwksUrl)) {
    throw new TypeError(
      `${caller}: options.jwksUrl must be an absolute URL, got ${JSON.stringify(options.jwksUrl)}`,
    );
  }
}
