/**
 * The example app on its own origin (http://localhost:5173): Vite serves the page, and the app's
 * backend (server/api.ts) answers /api/* beside it. AUTHFORM_URL is the stack's API origin.
 */
import { defineConfig, type ViteDevServer } from "vite";
import type { createBackend as CreateBackend } from "./server/api.ts";
import { fetchMiddleware } from "./server/node-middleware.ts";

const authformUrl = process.env.AUTHFORM_URL ?? "http://localhost:1337";

/** The backend, loaded through Vite's SSR loader: it imports authform's TypeScript sources. */
function backend(server: ViteDevServer): (request: Request) => Promise<Response> {
  let handler: Promise<(request: Request) => Promise<Response>> | undefined;
  return async (request) => {
    handler ??= server
      .ssrLoadModule("/server/api.ts")
      .then((mod) => (mod.createBackend as typeof CreateBackend)({ authformUrl }));
    return (await handler)(request);
  };
}

export default defineConfig({
  root: import.meta.dirname,
  define: { "import.meta.env.VITE_AUTHFORM_URL": JSON.stringify(authformUrl) },
  server: { port: 5173, strictPort: true, host: "localhost" },
  plugins: [
    {
      name: "example-app-backend",
      configureServer(server) {
        server.middlewares.use(fetchMiddleware("/api/", backend(server)));
      },
    },
  ],
});
