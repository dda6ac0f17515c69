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
