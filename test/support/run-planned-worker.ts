/**
 * Runs the Worker a plan generates (src/generate/worker-entry.ts, the Account SPA left out) on
 * Miniflare, under any hostname: the plan's vars, its D1 with the migrations applied, and, when the
 * plan binds EMAIL, Miniflare's real send_email binding behind a tap that records every message.
 */
import path from "node:path";
import { Miniflare, type WorkerOptions } from "miniflare";
import { generateWorkerEntry } from "../../src/generate/worker-entry.ts";
import type { DeploymentPlan } from "../../src/plan/types.ts";
import { applyMigrations } from "./apply-migrations.ts";
import { type SentEmail, sendEmailTap } from "./send-email-tap.ts";
import { bundleWorker } from "./ses-bundle.ts";
import { ROOT } from "./stack.ts";

export interface PlannedWorker {
  /** A request as Cloudflare's edge passes it (the URL's host picks the hostname); redirects are not followed. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  /** The stage's D1, to check what a request stored. */
  db: D1Database;
  /** Every call of the EMAIL binding so far, in order. */
  sentEmails: SentEmail[];
  dispose(): Promise<void>;
}

export async function runPlannedWorker(
  plan: DeploymentPlan,
  secrets: Record<string, string>,
  /** Opens workerd's V8 inspector on this port (heap snapshots: test/support/heap-snapshot.ts). */
  options: { inspectorPort?: number } = {},
): Promise<PlannedWorker> {
  const { text } = await bundleWorker((dir) => generateWorkerEntry(plan, path.join(ROOT, "worker"), dir));
  for (const [name, type] of Object.entries(plan.bindings)) {
    // Running without a binding the plan declares would prove less than the test claims.
    if (!(name === "DB" && type === "d1") && !(name === "EMAIL" && type === "send_email"))
      throw new Error(`binding ${name}: type ${type} is not mapped to Miniflare here`);
  }
  const email = plan.bindings.EMAIL === "send_email";
  const tap = sendEmailTap(email ? [{ name: "EMAIL" }] : []);
  const worker: WorkerOptions = {
    name: plan.names.worker,
    modules: true,
    script: text,
    compatibilityDate: plan.compatibilityDate,
    compatibilityFlags: plan.compatibilityFlags,
    d1Databases: { DB: plan.names.worker },
    bindings: { ...plan.vars, ...secrets },
    ...(email ? { wrappedBindings: tap.wrappedBindings } : {}),
  };
  const mf = new Miniflare({
    workers: email ? [worker, tap.worker] : [worker],
    ...(options.inspectorPort ? { inspectorPort: options.inspectorPort } : {}),
  });
  let db: D1Database;
  try {
    db = (await mf.getD1Database("DB")) as unknown as D1Database;
    await applyMigrations(db);
  } catch (err) {
    await mf.dispose();
    throw err;
  }
  return {
    // Miniflare's fetch classes are undici's; the tests talk in the global ones.
    fetch: (url, init) =>
      mf.dispatchFetch(url, { ...init, redirect: "manual" } as Parameters<
        Miniflare["dispatchFetch"]
      >[1]) as unknown as Promise<Response>,
    db,
    sentEmails: tap.sent,
    dispose: () => mf.dispose(),
  };
}
