/**
 * The /api/v1 surface: `/me` as the reference protected route, `/token` to mint a fresh fast-path
 * token, the audit log, and with the admin plugin the admin API (admin/).
 */
import { Hono } from "hono";
import { auditRoutes } from "../audit/routes.ts";
import type { Auth } from "../auth/create-auth.ts";
import { mustEnroll } from "../auth/plugins/two-factor/options.ts";
import type { WorkerEnv } from "../env.ts";
import type { WorkerSpec } from "../spec.ts";
import { adminKeyRoutes } from "./admin/admin-keys.ts";
import { adminUserRoutes } from "./admin/user-routes.ts";
import { ApiAuthError, authenticate, EnrollmentRequiredError } from "./authenticate.ts";
import type { ApiEnv } from "./context.ts";
import { mintFastPathToken } from "./mint-token.ts";

export function apiRoutes(spec: WorkerSpec, authFor: (env: WorkerEnv) => Auth) {
  const app = new Hono<ApiEnv>();

  // A new token needs a live session (a database check): a token cannot renew itself forever.
  app.post("/token", async (c) => {
    const result = await authFor(c.env).api.getSession({ headers: c.req.raw.headers });
    if (!result)
      throw new ApiAuthError("session_required", "Sign in first: a new token is minted from a session.");
    // A token would carry a not-yet-enrolled user past the enrollment rule until it expires.
    if (mustEnroll(spec.manifest, result.user)) throw new EnrollmentRequiredError();
    const { token, expiresAt } = await mintFastPathToken(c.env, spec.manifest, result);
    return c.json({ token, tokenType: "Bearer", expiresAt }, 200, { "cache-control": "no-store" });
  });

  app.use("*", authenticate(spec, authFor));
  app.get("/me", (c) => c.json(c.get("auth")));
  auditRoutes(app, spec);
  if (spec.plugins.admin) {
    adminUserRoutes(app, spec, authFor);
    if (spec.plugins.apiKey) adminKeyRoutes(app, spec, authFor);
  }
  return app;
}
