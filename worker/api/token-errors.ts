/** Why a fast-path token was refused: one class per failure, each mapped to a 401 with its code. */

export class FastPathTokenError extends Error {
  override name = "FastPathTokenError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const tokenMalformed = () =>
  new FastPathTokenError("token_malformed", "The bearer token is not a valid JWT.");
export const tokenAlgorithmRejected = (alg: unknown) =>
  new FastPathTokenError(
    "token_algorithm_rejected",
    `Tokens signed with ${JSON.stringify(alg)} are not accepted.`,
  );
export const tokenKeyUnknown = () =>
  new FastPathTokenError("token_key_unknown", "The token was signed with a key this stack does not know.");
export const tokenSignatureInvalid = () =>
  new FastPathTokenError("token_signature_invalid", "The token's signature does not match its contents.");
export const tokenExpired = () =>
  new FastPathTokenError("token_expired", "The token has expired. Get a new one.");
export const tokenNotYetValid = () =>
  new FastPathTokenError("token_not_yet_valid", "The token is not valid yet.");
export const tokenClaimInvalid = (claim: string) =>
  new FastPathTokenError(
    "token_claim_invalid",
    `The token's "${claim}" claim is missing or not accepted here.`,
  );
