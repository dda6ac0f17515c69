/** /api/v1/system/*: what this stack is and which plugins it runs. Public, and free of secrets. */
import { Hono } from "hono";
import { auditWriteFailures } from "../audit/recorder.ts";
import { storageStatus } from "../auth/storage-status.ts";
import { emailConfigured } from "../email/email-status.ts";
import type { WorkerEnv } from "../env.ts";
import type { WorkerSpec } from "../spec.ts";
import { webhookEnqueueFailures } from "../webhooks/enqueue.ts";
import { readiness } from "./readiness.ts";

export function systemRoutes(spec: WorkerSpec) {
  const app = new Hono<{ Bindings: WorkerEnv }>();
  app.get("/status", (c) => {
    const checks = readiness(c.env, spec);
    return c.json({
      app: c.env.APP_NAME,
      stage: c.env.AUTHFORM_STAGE,
      mode: c.env.AUTHFORM_MODE,
      authBasePath: spec.manifest.basePath,
      emailAndPassword: spec.manifest.emailAndPassword.enabled,
      plugins: Object.keys(spec.manifest.plugins),
      emailTransport: spec.manifest.emailTransport,
      storage: storageStatus(c.env, spec.manifest),
      // Audit events this isolate failed to write (logged, never failing the request they describe).
      audit: { writeFailures: auditWriteFailures() },
      // With webhooks: endpoints, and events this isolate failed to put on the queue (logged, never failing a request).
      ...(spec.manifest.webhooks?.length
        ? {
            webhooks: { endpoints: spec.manifest.webhooks.length, enqueueFailures: webhookEnqueueFailures() },
          }
        : {}),
      // Whether every enabled feature has what it needs, and per feature what is missing (names only).
      ready: Object.values(checks).every((check) => check.ready),
      readiness: checks,
    });
  });
  // The seed's readiness check, for UI warnings: does the chosen transport have what it needs?
  app.get("/email-status", (c) =>
    c.json({ emailConfigured: emailConfigured(c.env, spec.manifest.emailTransport) }),
  );
  return app;
}
