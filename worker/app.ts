/** The Worker: a Hono app with Better Auth at /auth/v1 and the /api/v1 surface. */
import { Hono } from "hono";
import { apiRoutes } from "./api/routes.ts";
import { authFor } from "./auth/create-auth.ts";
import type { WorkerEnv } from "./env.ts";
import { handleError, handleNotFound } from "./middleware/errors.ts";
import { jsonBody } from "./middleware/json-body.ts";
import { systemRoutes } from "./routes/system.ts";
import type { AppEnv, WorkerSpec } from "./spec.ts";

export function createWorker(spec: WorkerSpec) {
  const app = new Hono<AppEnv>();
  app.onError(handleError);
  app.notFound(handleNotFound);

  const authPath = `${spec.manifest.basePath}/*`;
  app.use(authPath, jsonBody);
  const routeContext = { spec, auth: (env: WorkerEnv) => authFor(env, spec) };
  for (const module of Object.values(spec.plugins)) module.routes?.(app, routeContext);
  app.on(["GET", "POST"], authPath, (c) => authFor(c.env, spec).handler(c.req.raw));

  app.route("/api/v1/system", systemRoutes(spec));
  app.route("/api/v1", apiRoutes(spec, routeContext.auth));
  app.get("/", (c) =>
    c.json({ app: c.env.APP_NAME, auth: spec.manifest.basePath, status: "/api/v1/system/status" }),
  );
  return app;
}
