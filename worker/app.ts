/** The Worker: a Hono app with Better Auth at /auth/v1 and the /api/v1 surface. */
import { Hono } from "hono";
import { accountRoutes } from "./account/routes.ts";
import { apiRoutes } from "./api/routes.ts";
import { auditScope } from "./audit/request-scope.ts";
import { accountLimits } from "./auth/account-limits/middleware.ts";
import { authFor } from "./auth/create-auth.ts";
import { answerGetSession, GET_SESSION_PATH } from "./auth/get-session-route.ts";
import { d1Sessions } from "./db/d1-session.ts";
import type { WorkerEnv } from "./env.ts";
import { afterResponseScope } from "./middleware/after-response.ts";
import { cors } from "./middleware/cors.ts";
import { drainBody } from "./middleware/drain-body.ts";
import { handleError, handleNotFound } from "./middleware/errors.ts";
import { jsonBody, METHODS_WITH_BODY } from "./middleware/json-body.ts";
import { jsonErrors } from "./middleware/json-errors.ts";
import { publicCors } from "./middleware/public-cors.ts";
import { retryAfter } from "./middleware/retry-after.ts";
import { securityHeaders } from "./middleware/security-headers.ts";
import { withJsonNotFound } from "./routes/auth-not-found.ts";
import { systemRoutes } from "./routes/system.ts";
import { scheduledPrune } from "./scheduled.ts";
import type { AppEnv, WorkerSpec } from "./spec.ts";
import { webhookEnqueuer } from "./webhooks/enqueue.ts";
import { webhookQueueHandler } from "./webhooks/queue-handler.ts";

export function createWorker(spec: WorkerSpec) {
  const app = new Hono<AppEnv>();
  app.onError(handleError);
  app.notFound(handleNotFound);
  // Outermost: it finishes reading a body after every other layer has answered.
  app.use("*", drainBody);
  app.use("*", d1Sessions);
  // Gives Better Auth's callbacks ctx.waitUntil, for sends the response must not wait for.
  app.use("*", afterResponseScope);
  // Collects the request's audit events and writes them after the response (ctx.waitUntil), and
  // queues the webhooks they raise.
  const webhooks = spec.manifest.webhooks ?? [];
  app.use("*", auditScope(webhooks.length > 0 ? webhookEnqueuer(webhooks) : undefined));
  app.use("*", securityHeaders([spec.manifest.basePath, "/api/v1"]));

  const authPath = `${spec.manifest.basePath}/*`;
  // First, so a preflight is answered before anything reads a body or a session. The public OAuth
  // endpoints and discovery documents answer any origin without credentials; the rest, trusted only.
  app.use(authPath, publicCors(spec.manifest.basePath));
  app.use("/.well-known/*", publicCors(spec.manifest.basePath));
  app.use("/api/v1/*", cors());
  app.use(authPath, retryAfter, jsonErrors);
  // Registered for the methods they act on (each passes any other straight on), so a GET, get-session
  // above all, skips the two layers; Hono keeps registration order across methods.
  app.on([...METHODS_WITH_BODY], authPath, jsonBody);
  // Before the seed aliases and Better Auth: every attempt on an account is counted, whatever its IP.
  app.on("POST", authPath, accountLimits(spec.manifest));
  const routeContext = { spec, auth: (env: WorkerEnv) => authFor(env, spec) };
  for (const module of Object.values(spec.plugins)) module.routes?.(app, routeContext);
  spec.oauthProxy?.routes(app, spec.manifest);
  spec.reference?.(app, routeContext);
  // The hottest read, without Better Auth's per-request router (get-session-route.ts says why that is safe).
  app.get(`${spec.manifest.basePath}${GET_SESSION_PATH}`, (c) =>
    answerGetSession(authFor(c.env, spec), c.req.raw),
  );
  app.on(["GET", "POST"], authPath, async (c) =>
    withJsonNotFound(c, await authFor(c.env, spec).handler(c.req.raw)),
  );

  app.route("/api/v1/system", systemRoutes(spec));
  app.route("/api/v1", apiRoutes(spec, routeContext.auth));
  if (spec.account) accountRoutes(app, spec, spec.account);
  app.get("/", (c) =>
    c.json({ app: c.env.APP_NAME, auth: spec.manifest.basePath, status: "/api/v1/system/status" }),
  );
  // Module Workers take their handlers from the default export: the Hono app plus `scheduled`, and
  // `queue` when the config has webhooks.
  return Object.assign(app, {
    scheduled: scheduledPrune(spec),
    ...(webhooks.length > 0 ? { queue: webhookQueueHandler(webhooks) } : {}),
  });
}
