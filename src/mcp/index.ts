/**
 * `authform/mcp`: protect a team's own MCP server or API (a Worker, Hono or plain fetch) with the
 * access tokens authform issues for it. Web APIs only, so it runs on Workers.
 *
 * @example
 * // Hono: metadata for MCP clients to discover, then the endpoint behind tokens for this resource
 * import { protectedResourceMetadataHandler, protectedResourceMetadataPath, requireAuth } from "authform/mcp";
 * const options = { issuer: "https://auth.example.com/auth/v1", resource: "https://api.example.com/mcp" };
 * app.get(protectedResourceMetadataPath(options.resource), (c) => protectedResourceMetadataHandler(options)(c.req.raw));
 * app.use("/mcp", requireAuth(options));
 *
 * @example
 * // A plain fetch handler
 * const auth = await authenticateRequest(request, options);
 * if (auth instanceof Response) return auth;
 * return new Response(`hello ${auth.subject}`);
 */
export {
  AccessTokenError,
  type AccessTokenErrorCode,
  MissingAccessTokenError,
} from "./access-token-error.ts";
export { authenticateRequest } from "./authenticate-request.ts";
export { bearerTokenOf } from "./bearer-token.ts";
export { type ChallengeOptions, challengeResponse, wwwAuthenticate } from "./challenge.ts";
export {
  type ProtectedResourceMetadata,
  type ProtectedResourceMetadataOptions,
  protectedResourceMetadata,
  protectedResourceMetadataHandler,
  protectedResourceMetadataPath,
  protectedResourceMetadataUrl,
} from "./protected-resource-metadata.ts";
export { type AuthVariables, requireAuth } from "./require-auth.ts";
export {
  type VerifiedAccessToken,
  type VerifyAccessTokenOptions,
  verifyAccessToken,
} from "./verify-access-token.ts";
