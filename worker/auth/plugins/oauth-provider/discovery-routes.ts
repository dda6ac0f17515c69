/**
 * Discovery documents at the Worker's root, where clients look: RFC 8414 authorization server
 * metadata (plain and with the issuer path /auth/v1 inserted), OIDC discovery (both forms) and
 * RFC 9728 protected resource metadata. Better Auth serves its own copies under /auth/v1.
 */
import {
  oauthProviderAuthServerMetadata,
  oauthProviderOpenIdConfigMetadata,
} from "@better-auth/oauth-provider";
import type { Context, Hono } from "hono";
import type { AppEnv, RouteContext } from "../../../spec.ts";
import { allAudiences, oauthProviderSettings, scopesFor } from "./options.ts";
import { protectedResourceMetadata, resourceForPath } from "./protected-resource.ts";

/** The slice of Better Auth's API the discovery helpers call (the plugin's endpoints are not in Auth's static type). */
interface DiscoveryApi {
  api: {
    getOAuthServerConfig(input: { request?: Request; asResponse?: false }): Promise<{ issuer: string }>;
    getOpenIdConfig(input: { request?: Request; asResponse?: false }): Promise<unknown>;
  };
}

/** Public documents: browser-based MCP clients read them cross-origin. */
const PUBLIC = { "Access-Control-Allow-Origin": "*" };
const PRM_PATH = "/.well-known/oauth-protected-resource";

export function discoveryRoutes(app: Hono<AppEnv>, ctx: RouteContext) {
  const { basePath } = ctx.spec.manifest;
  const api = (c: Context<AppEnv>) => ctx.auth(c.env) as unknown as DiscoveryApi;

  for (const path of [
    "/.well-known/oauth-authorization-server",
    `/.well-known/oauth-authorization-server${basePath}`,
  ]) {
    app.get(path, (c) => oauthProviderAuthServerMetadata(api(c), { headers: PUBLIC })(c.req.raw));
  }
  for (const path of ["/.well-known/openid-configuration", `/.well-known/openid-configuration${basePath}`]) {
    app.get(path, (c) => oauthProviderOpenIdConfigMetadata(api(c), { headers: PUBLIC })(c.req.raw));
  }

  const protectedResource = async (c: Context<AppEnv>) => {
    const options = ctx.spec.manifest.plugins.oauthProvider ?? {};
    const settings = oauthProviderSettings(options, c.env);
    const path = new URL(c.req.url).pathname.slice(PRM_PATH.length);
    const resource = resourceForPath(allAudiences(settings), new URL(c.env.BETTER_AUTH_URL).origin, path);
    if (resource === undefined) return c.notFound();
    const { issuer } = await api(c).api.getOAuthServerConfig({ request: c.req.raw, asResponse: false });
    const body = protectedResourceMetadata({
      resource,
      issuer,
      scopes: scopesFor(settings, resource),
      name: c.env.APP_NAME,
    });
    return c.json(body, 200, { ...PUBLIC, "Cache-Control": "public, max-age=15" });
  };
  app.get(PRM_PATH, protectedResource);
  app.get(`${PRM_PATH}/*`, protectedResource);
}
