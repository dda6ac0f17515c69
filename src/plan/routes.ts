/** Routes mode: the Worker route patterns that mount authform's paths on an API hostname something else serves. */
import type { ResolvedConfig } from "../config/types.ts";

export interface WorkerRouteSpec {
  /** A Cloudflare route pattern: `<hostname><path>`, a trailing `*` matching any rest of the path. */
  pattern: string;
  /** The Cloudflare zone the route is created in. */
  zone: string;
}

/** The discovery documents the Worker serves at its root when oauthProvider is on (worker/auth/plugins/oauth-provider/discovery-routes.ts). */
const OAUTH_DISCOVERY_PATHS = [
  "/.well-known/oauth-authorization-server",
  "/.well-known/oauth-protected-resource",
  "/.well-known/openid-configuration",
] as const;

/** Root `/.well-known/` documents this config's Worker serves. */
export function wellKnownPaths(config: ResolvedConfig): string[] {
  return config.auth.plugins.oauthProvider ? [...OAUTH_DISCOVERY_PATHS] : [];
}

/**
 * The paths to route, and nothing else on the hostname: Better Auth, the /api/v1 fast path, and the
 * discovery documents by name (each with a trailing `*`: RFC 8414 and RFC 9728 append the issuer's
 * or resource's path, e.g. /.well-known/oauth-authorization-server/auth/v1). The Worker's `/` and the
 * Account SPA's pages stay with the hostname's owner.
 */
export function routedPaths(config: ResolvedConfig): string[] {
  return ["/auth/v1/*", "/api/v1/*", ...wellKnownPaths(config).map((path) => `${path}*`)];
}

export function planWorkerRoutes(hostname: string, zone: string, config: ResolvedConfig): WorkerRouteSpec[] {
  return routedPaths(config).map((path) => ({ pattern: `${hostname}${path}`, zone }));
}
