/**
 * Deploys the example MCP server as its own Worker, beside an authform stack:
 *   AUTHFORM_ISSUER=https://auth.example.com/auth/v1 MCP_RESOURCE=https://mcp.example.com/mcp \
 *     bun examples/mcp-server/alchemy.run.ts
 * MCP_RESOURCE must be the URL declared in the stack's `oauthProvider.resources`. On a
 * `<name>.<subdomain>.workers.dev` host the Worker is named `<name>` and takes that address; on any other host, a custom domain
 * (the zone must be on the same Cloudflare account).
 */
import path from "node:path";
import alchemy from "alchemy";
import { Worker } from "alchemy/cloudflare";

const issuer = process.env.AUTHFORM_ISSUER;
const resource = process.env.MCP_RESOURCE;
if (!issuer || !resource) {
  console.error(
    "Set AUTHFORM_ISSUER (your stack's BETTER_AUTH_URL + /auth/v1) and MCP_RESOURCE (this server's URL, as declared in oauthProvider.resources).",
  );
  process.exit(1);
}
const host = new URL(resource).hostname;

const app = await alchemy("authform-example-mcp");
const worker = await Worker("mcp-server", {
  entrypoint: path.join(import.meta.dirname, "src", "index.ts"),
  compatibilityDate: "2026-07-01",
  bindings: { AUTHFORM_ISSUER: issuer, MCP_RESOURCE: resource },
  // A workers.dev address is <worker name>.<account subdomain>.workers.dev: the name is its first label.
  ...(host.endsWith(".workers.dev") ? { name: host.split(".")[0], url: true } : { domains: [host] }),
});
console.log(`MCP server: ${resource} (Worker ${worker.name})`);
await app.finalize();
