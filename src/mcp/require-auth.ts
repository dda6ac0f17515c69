/**
 * Hono middleware for a protected resource: requests without a valid token for this resource are
 * answered with their challenge; the rest reach the handler with the verified token on the context.
 *
 * @example
 * // The MCP endpoint of a team's Worker, behind authform's tokens
 * app.use("/mcp", requireAuth({ issuer, resource: "https://api.example.com/mcp", requiredScopes: ["tools:call"] }));
 * app.post("/mcp", (c) => c.json({ user: c.get("accessToken").subject }));
 */
import { createMiddleware } from "hono/factory";
import { authenticateRequest } from "./authenticate-request.ts";
import { checkResourceServerOptions } from "./check-options.ts";
import type { VerifiedAccessToken, VerifyAccessTokenOptions } from "./verify-access-token.ts";

export interface AuthVariables {
  accessToken: VerifiedAccessToken;
}

export function requireAuth(options: VerifyAccessTokenOptions) {
  checkResourceServerOptions(options, "requireAuth");
  return createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    // Preflights carry no Authorization header; CORS middleware placed before this one answers them.
    const result = await authenticateRequest(c.req.raw, options);
    if (result instanceof Response) return result;
    c.set("accessToken", result);
    await next();
  });
}
