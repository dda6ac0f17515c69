/**
 * Runs examples/mcp-server on workerd (Miniflare), bundled as Alchemy bundles a Worker, listening on
 * a loopback port: the resource server a stack test's MCP client connects to.
 */
import path from "node:path";
import { Miniflare } from "miniflare";
import { bundleWorker } from "./ses-bundle.ts";
import { ROOT } from "./stack.ts";

export interface ExampleMcpServer {
  /** Where it listens, e.g. `http://127.0.0.1:8123`. */
  origin: string;
  dispose(): Promise<void>;
}

export async function startExampleMcpServer(
  port: number,
  vars: { AUTHFORM_ISSUER: string; MCP_RESOURCE: string },
): Promise<ExampleMcpServer> {
  const entry = path.join(ROOT, "examples", "mcp-server", "src", "index.ts");
  const { text } = await bundleWorker(`export { default } from ${JSON.stringify(entry)};`);
  const mf = new Miniflare({
    modules: true,
    script: text,
    compatibilityDate: "2026-07-01",
    // No nodejs_compat: the kit and the SDK's web-standard transport use Web APIs only.
    compatibilityFlags: [],
    bindings: vars,
    host: "127.0.0.1",
    port,
  });
  const url = await mf.ready;
  return { origin: url.origin, dispose: () => mf.dispose() };
}
