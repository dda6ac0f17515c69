/**
 * The app's own backend: one protected route. It trusts a request only with a token the stack signed
 * (the `jwt` plugin's: issuer and audience the stack's URL), checked by `authform/mcp` against the
 * stack's JWKS, so it holds no secret of the stack's. A web-standard fetch handler: it runs as a
 * Worker as it is.
 */
import { AccessTokenError, MissingAccessTokenError, verifyAccessToken } from "authform/mcp";

export interface BackendOptions {
  /** The stack's API origin (BETTER_AUTH_URL): the tokens' issuer and audience. */
  authformUrl: string;
}

export function createBackend({ authformUrl }: BackendOptions): (request: Request) => Promise<Response> {
  // The kit caches the key set per isolate and fetches it again for a key it does not know (rotation).
  const options = { issuer: authformUrl, resource: authformUrl, jwksUrl: `${authformUrl}/auth/v1/jwks` };
  return async (request) => {
    const url = new URL(request.url);
    if (url.pathname !== "/api/hello") return Response.json({ error: "not_found" }, { status: 404 });
    try {
      const { subject, claims } = await verifyAccessToken(request, options);
      return Response.json({ hello: subject, email: claims.email ?? null });
    } catch (err) {
      if (err instanceof MissingAccessTokenError) return unauthorized("missing_token", 401);
      if (err instanceof AccessTokenError) return unauthorized(err.code, err.status);
      throw err;
    }
  };
}

function unauthorized(error: string, status: number): Response {
  return Response.json({ error }, { status, headers: { "www-authenticate": `Bearer error="${error}"` } });
}
