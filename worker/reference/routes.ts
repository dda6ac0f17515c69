/**
 * The OpenAPI reference at /auth/v1/reference (config `reference`, on unless turned off; the
 * generated entry imports this module only then). Built once per isolate on first request.
 */
import type { Hono } from "hono";
import type { WorkerEnv } from "../env.ts";
import type { AppEnv, RouteContext } from "../spec.ts";
import { referenceDocument } from "./document.ts";

type ReferenceDocument = Awaited<ReturnType<typeof referenceDocument>>;

export function referenceRoutes(app: Hono<AppEnv>, ctx: RouteContext) {
  const base = `${ctx.spec.manifest.basePath}/reference`;
  const documents = new WeakMap<WorkerEnv, Promise<ReferenceDocument>>();
  const documentFor = (env: WorkerEnv) => {
    let document = documents.get(env);
    if (!document) {
      document = referenceDocument(env, ctx);
      // A failed build is retried by the next request rather than cached.
      document.catch(() => documents.delete(env));
      documents.set(env, document);
    }
    return document;
  };
  app.get(base, (c) => c.redirect(`${base}/openapi.json`));
  app.get(`${base}/openapi.json`, async (c) =>
    c.json(await documentFor(c.env), 200, { "cache-control": "public, max-age=300" }),
  );
}
