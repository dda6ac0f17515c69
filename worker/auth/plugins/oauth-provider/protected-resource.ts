/** RFC 9728 protected resource metadata: what an MCP client reads first to find this authorization server. */
import { originOf } from "../../../../src/contract/urls.ts";

export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported: string[];
  bearer_methods_supported: string[];
  resource_name?: string;
}

/**
 * The audience a metadata request is about. `/.well-known/oauth-protected-resource` + `path` is the
 * document of resource `origin + path` (RFC 9728 §3.1), so only audiences on this Worker's origin
 * have one here. The root document falls back to the first audience on this origin.
 */
export function resourceForPath(audiences: string[], origin: string, path: string): string | undefined {
  const onOrigin = audiences.filter((a) => originOf(a) === origin);
  const wanted = path.replace(/\/+$/, "");
  return onOrigin.find((a) => pathOf(a) === wanted) ?? (wanted === "" ? onOrigin[0] : undefined);
}

export function protectedResourceMetadata(input: {
  resource: string;
  issuer: string;
  scopes: string[];
  name?: string;
}): ProtectedResourceMetadata {
  return {
    resource: input.resource,
    authorization_servers: [input.issuer],
    scopes_supported: input.scopes,
    bearer_methods_supported: ["header"],
    ...(input.name ? { resource_name: input.name } : {}),
  };
}

function pathOf(url: string): string {
  return new URL(url).pathname.replace(/\/+$/, "");
}
