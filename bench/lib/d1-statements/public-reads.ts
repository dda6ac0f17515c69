/** What anyone may read without signing in: the root, the status page, discovery documents, the JWKS. */
import { timed } from "../http.ts";
import { expectThat, jsonOf, type RouteCounter } from "./route-counter.ts";

export async function countPublicReads(counter: RouteCounter, plugins: string[]): Promise<void> {
  const root = await counter.get("GET /", "/");
  expectThat("GET /", jsonOf<{ auth?: string }>(root).auth === "/auth/v1", "the auth base path", root);
  const status = await counter.get("GET /api/v1/system/status", "/api/v1/system/status");
  expectThat(
    "status",
    jsonOf<{ authBasePath?: string }>(status).authBasePath === "/auth/v1",
    "the status",
    status,
  );

  if (plugins.includes("oauthProvider")) {
    const issuer = `${counter.base}/auth/v1`;
    for (const path of [
      "/.well-known/openid-configuration",
      "/.well-known/oauth-authorization-server/auth/v1",
    ]) {
      const doc = await counter.get(`GET ${path}`, path);
      expectThat(path, jsonOf<{ issuer?: string }>(doc).issuer === issuer, `issuer ${issuer}`, doc);
    }
    const resource = await counter.get(
      "GET /.well-known/oauth-protected-resource",
      "/.well-known/oauth-protected-resource",
    );
    expectThat(
      "protected-resource",
      jsonOf<{ authorization_servers?: string[] }>(resource).authorization_servers?.includes(issuer) === true,
      `authorization server ${issuer}`,
      resource,
    );
  }
  if (plugins.includes("jwt")) {
    // The first JWKS read of a stack creates its signing key (a one-time write); count a read's cost.
    await timed(counter.base, "/auth/v1/jwks");
    const jwks = await counter.get("GET /auth/v1/jwks", "/auth/v1/jwks");
    expectThat("jwks", jsonOf<{ keys: unknown[] }>(jwks).keys.length > 0, "a signing key", jwks);
  }
}
