/** The stage's Worker: the generated entry, bundled, with exactly the plan's bindings, vars and secrets. */
import type { Secret } from "alchemy";
import { type D1Database, EmailSender, Worker } from "alchemy/cloudflare";
import type { DeploymentPlan } from "../plan/types.ts";

export interface WorkerInputs {
  entrypoint: string;
  database: D1Database;
  secrets: Record<string, Secret>;
}

export function provisionWorker(plan: DeploymentPlan, { entrypoint, database, secrets }: WorkerInputs) {
  const bindings: Record<string, string | Secret | D1Database | ReturnType<typeof EmailSender>> = {
    ...plan.vars,
    ...secrets,
    DB: database,
  };
  if (plan.bindings.EMAIL === "send_email") bindings.EMAIL = EmailSender();
  return Worker("worker", {
    name: plan.names.worker,
    entrypoint,
    compatibilityDate: plan.compatibilityDate,
    compatibilityFlags: plan.compatibilityFlags,
    bindings,
    url: true,
    ...(plan.port === undefined ? {} : { dev: { port: plan.port } }),
  });
}
