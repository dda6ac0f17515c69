/** The MCP server itself: two tools, answering for the user whose token the request carried. */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import * as z from "zod";

export function createMcpServer(): McpServer {
  const server = new McpServer({ name: "authform-example-mcp", version: "1.0.0" });

  server.registerTool(
    "whoami",
    { description: "Who the access token acts for: the user's id, the client and the scopes granted." },
    (extra) => {
      const auth = extra.authInfo;
      const who = { user: auth?.extra?.subject, client: auth?.clientId, scopes: auth?.scopes };
      return { content: [{ type: "text", text: JSON.stringify(who) }] };
    },
  );

  server.registerTool(
    "echo",
    { description: "Says back what it is given.", inputSchema: { text: z.string() } },
    ({ text }) => ({ content: [{ type: "text", text }] }),
  );

  return server;
}
