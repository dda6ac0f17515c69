/** The Worker: its two vars say which authform issues its tokens and which resource it is. */
import { createMcpApp } from "./app.ts";

interface Env {
  /** authform's issuer, e.g. `https://auth.example.com/auth/v1`. */
  AUTHFORM_ISSUER: string;
  /** This server's resource URL as declared in `oauthProvider.resources`, e.g. `https://mcp.example.com/mcp`. */
  MCP_RESOURCE: string;
}

let app: ReturnType<typeof createMcpApp> | undefined;

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    app ??= createMcpApp({ issuer: env.AUTHFORM_ISSUER, resource: env.MCP_RESOURCE });
    return app.fetch(request, env, ctx);
  },
};
