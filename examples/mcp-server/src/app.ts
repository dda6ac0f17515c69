/**
 * The example MCP server's routes: its protected resource metadata (what MCP clients read after a
 * 401), and the MCP endpoint behind authform's tokens for this resource. Stateless Streamable
 * HTTP: each POST gets its own server and transport, so any isolate can answer any request.
 */
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import {
  type AuthVariables,
  protectedResourceMetadataHandler,
  protectedResourceMetadataPath,
  requireAuth,
} from "authform/mcp";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { createMcpServer } from "./mcp-tools.ts";

export interface McpAppOptions {
  /** authform's issuer: `<BETTER_AUTH_URL>/auth/v1`. */
  issuer: string;
  /** This server's URL, as declared in `oauthProvider.resources`, e.g. `https://mcp.example.com/mcp`. */
  resource: string;
}

/** The scope every MCP request needs; the config declares it for this resource. */
const REQUIRED_SCOPES = ["tools:call"];

export function createMcpApp({ issuer, resource }: McpAppOptions) {
  const endpoint = new URL(resource).pathname;
  const metadata = protectedResourceMetadataHandler({
    resource,
    issuer,
    scopesSupported: ["tools:read", "tools:call", "offline_access"],
    resourceName: "authform example MCP server",
  });

  return (
    new Hono<{ Variables: AuthVariables }>()
      .on(["GET", "HEAD", "OPTIONS"], protectedResourceMetadataPath(resource), (c) => metadata(c.req.raw))
      // Browser-based MCP clients (MCP Inspector) call cross-origin; the preflight needs no token.
      .use(
        endpoint,
        cors({
          origin: "*",
          allowHeaders: ["authorization", "content-type", "mcp-protocol-version", "mcp-session-id"],
          exposeHeaders: ["WWW-Authenticate", "mcp-session-id"],
        }),
      )
      .use(endpoint, requireAuth({ issuer, resource, requiredScopes: REQUIRED_SCOPES }))
      .post(endpoint, async (c) => {
        const token = c.get("accessToken");
        const server = createMcpServer();
        const transport = new WebStandardStreamableHTTPServerTransport({
          sessionIdGenerator: undefined,
          enableJsonResponse: true,
        });
        await server.connect(transport);
        return transport.handleRequest(c.req.raw, {
          authInfo: {
            token: token.token,
            clientId: token.clientId ?? "",
            scopes: token.scopes,
            expiresAt: token.expiresAt,
            resource: new URL(resource),
            extra: { subject: token.subject },
          },
        });
      })
      // Stateless: no standalone SSE stream to GET and no session to DELETE.
      .on(["GET", "DELETE"], endpoint, (c) => c.body(null, 405, { allow: "POST" }))
  );
}
