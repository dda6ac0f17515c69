/** The root discovery documents (./discovery-routes.ts) in the OpenAPI reference. */
import { jsonResponse, type OpenApiPaths } from "../../../reference/openapi.ts";

function document(operationId: string, description: string) {
  return {
    get: {
      tags: ["oauth-provider"],
      operationId,
      description,
      security: [],
      responses: { "200": jsonResponse("The metadata document.", { type: "object" }) },
    },
  };
}

export function discoveryReference({ basePath }: { basePath: string }): OpenApiPaths {
  const authServer = document("oauthAuthorizationServerMetadata", "RFC 8414 authorization server metadata.");
  const openId = document("openIdConfiguration", "OpenID Connect discovery.");
  return {
    "/.well-known/oauth-authorization-server": authServer,
    [`/.well-known/oauth-authorization-server${basePath}`]: {
      get: { ...authServer.get, operationId: "oauthAuthorizationServerMetadataIssuerPath" },
    },
    "/.well-known/openid-configuration": openId,
    [`/.well-known/openid-configuration${basePath}`]: {
      get: { ...openId.get, operationId: "openIdConfigurationIssuerPath" },
    },
    "/.well-known/oauth-protected-resource": document(
      "oauthProtectedResourceMetadata",
      "RFC 9728 protected resource metadata of the API itself; a configured resource's is at this path followed by the resource's path.",
    ),
  };
}
