/** .authform/<stage>.json: what a deploy produced, for people, tests and scripts. Never holds secrets. */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { DeploymentPlan } from "../plan/types.ts";

export interface StackOutputs {
  app: string;
  stage: string;
  mode: DeploymentPlan["mode"];
  url: string;
  accountUrl: string;
  authUrl: string;
  port?: number;
  plugins: string[];
  emailTransport: DeploymentPlan["emailTransport"];
  worker: string;
  database: string;
  /** Social sign-in: the callback URL each provider's dashboard must list for this stage. */
  socialCallbacks?: Record<string, string>;
  /** auth.oauthProxy: this stage's role and the stable stage its sign-ins go through. */
  oauthProxy?: { role: "stable" | "preview"; stableUrl: string };
}

/** Provider id → callback URL, in catalogue order. */
export function socialCallbacks(plan: DeploymentPlan): Record<string, string> {
  return Object.fromEntries(plan.socialProviders.map((p) => [p.id, p.callbackUrl]));
}

export function outputsPath(root: string, stage: string): string {
  return path.join(root, ".authform", `${stage}.json`);
}

export function stackOutputs(plan: DeploymentPlan, url: string): StackOutputs {
  const origin = url.replace(/\/+$/, "");
  return {
    app: plan.app,
    stage: plan.stage,
    mode: plan.mode,
    url: origin,
    accountUrl: plan.mode === "local" ? origin : plan.urls.account,
    authUrl: `${origin}${plan.routes.auth}`,
    ...(plan.port === undefined ? {} : { port: plan.port }),
    plugins: ["emailAndPassword", ...plan.plugins].filter(
      (p) => p !== "emailAndPassword" || plan.manifest.emailAndPassword.enabled,
    ),
    emailTransport: plan.emailTransport,
    worker: plan.names.worker,
    database: plan.names.database,
    ...(plan.socialProviders.length > 0 ? { socialCallbacks: socialCallbacks(plan) } : {}),
    ...(plan.oauthProxy
      ? { oauthProxy: { role: plan.oauthProxy.role, stableUrl: plan.oauthProxy.stableUrl } }
      : {}),
  };
}

export async function writeOutputs(root: string, outputs: StackOutputs): Promise<string> {
  const file = outputsPath(root, outputs.stage);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(outputs, null, 2)}\n`);
  return file;
}

export async function readOutputs(root: string, stage: string): Promise<StackOutputs | undefined> {
  return readFile(outputsPath(root, stage), "utf8").then(JSON.parse, () => undefined);
}

export async function removeOutputs(root: string, stage: string): Promise<void> {
  await rm(outputsPath(root, stage), { force: true });
}
