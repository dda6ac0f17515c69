/**
 * The app's own backend: one protected route. It trusts a request only with a token the stack signed
 * (the `jwt` plugin's, checked against the stack's JWKS, with issuer and audience the stack's URL),
 * so it holds no secret of the stack's. A web-standard fetch handler: it runs as a Worker as it is.
 */
import { createRemoteJWKSet, errors, jwtVerify } from "jose";

export interface BackendOptions {
  /** The stack's API origin (BETTER_AUTH_URL): the tokens' issuer and audience. */
  authformUrl: string;
}

export function createBackend({ authformUrl }: BackendOptions): (request: Request) => Promise<Response> {
  // Fetched once, cached, and fetched again when a token names a key it does not know (rotation).
  const jwks = createRemoteJWKSet(new URL(`${authformUrl}/auth/v1/jwks`));
  return async (request) => {
    const url = new URL(request.url);
    if (url.pathname !== "/api/hello") return Response.json({ error: "not_found" }, { status: 404 });
    const token = /^Bearer (.+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
    if (!token) return unauthorized("missing_token");
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer: authformUrl, audience: authformUrl });
      return Response.json({ hello: payload.sub, email: payload.email ?? null });
    } catch (err) {
      if (err instanceof errors.JOSEError) return unauthorized("invalid_token");
      throw err;
    }
  };
}

function unauthorized(error: string): Response {
  return Response.json(
    { error },
    { status: 401, headers: { "www-authenticate": `Bearer error="${error}"` } },
  );
}
