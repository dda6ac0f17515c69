/** Shared by the deploy contract tests: configs written per test, deploy-mode env, the plan a run should follow. */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../src/config/load.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";
import type { DeploymentPlan } from "../../src/plan/types.ts";
import type { CloudflareApiStandIn, WorkerBinding } from "../support/cloudflare-api/index.ts";
import { BUN, runToCompletion } from "../support/program-process.ts";
import { localEnv, ROOT, type RunResult, runProgram } from "../support/stack.ts";

export const PASSWORD = "deploy-contract-password";
export const API_URL = "https://api.example.com";

/** Variables a developer's shell may hold that would change what a deploy does. */
const AMBIENT = [
  "CI",
  "AUTHFORM_STATE_STORE",
  "ALCHEMY_STATE_TOKEN",
  "BETTER_AUTH_SECRET",
  "BETTER_AUTH_PREVIOUS_SECRET",
  "AUTHFORM_JWT_PREVIOUS_SECRET",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SES_REGION",
  "AWS_SES_ENDPOINT",
  "EMAIL_FROM",
  "BETTER_AUTH_URL",
  "ACCOUNT_URL",
  "APP_URL",
  "CLOUDFLARE_WORKERS_SUBDOMAIN",
];

/** A person's machine deploying to the stand-in: deploy mode, file state store. */
export function deployEnv(api: CloudflareApiStandIn, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = localEnv();
  for (const name of AMBIENT) delete env[name];
  return { ...env, ...api.env(), ALCHEMY_PASSWORD: PASSWORD, BETTER_AUTH_URL: API_URL, ...extra };
}

export interface ConfigShape {
  app: string;
  vars?: Record<string, string>;
  plugins?: string[];
  email?: "cloudflare" | "aws-ses";
  productionStages?: string[];
  /** Other runtime options (e.g. domains), merged with productionStages. */
  runtime?: Record<string, unknown>;
  /** defineStorage("cloudflare-kv"): the stage gets a KV namespace. */
  storage?: boolean;
  /** Default `{ enabled: true }`; `"unstated"` writes no emailAndPassword at all. */
  emailAndPassword?: { enabled: boolean; minPasswordLength?: number } | "unstated";
  /** defineAuth's webhooks: the stage gets the delivery and dead-letter queues, consumed by its Worker. */
  webhooks?: { url: string; events: string[]; secretEnv: string; retryDelaysSeconds?: number[] }[];
}

const CONFIG_DIR = path.join(ROOT, ".authform", "deploy-tests");

/** Writes a config file (as a user would) and returns its path relative to the project, for --config. */
export async function writeConfig(file: string, shape: ConfigShape): Promise<string> {
  await mkdir(CONFIG_DIR, { recursive: true });
  const target = path.join(CONFIG_DIR, file);
  const src = path
    .relative(CONFIG_DIR, path.join(ROOT, "src", "index.ts"))
    .split(path.sep)
    .join("/");
  const runtimeOptions = {
    ...(shape.productionStages ? { productionStages: shape.productionStages } : {}),
    ...shape.runtime,
  };
  const runtime =
    Object.keys(runtimeOptions).length > 0
      ? `defineRuntime("cloudflare", ${JSON.stringify(runtimeOptions)})`
      : `defineRuntime("cloudflare")`;
  const auth = {
    ...(shape.emailAndPassword === "unstated"
      ? {}
      : { emailAndPassword: shape.emailAndPassword ?? { enabled: true } }),
    ...(shape.plugins ? { plugins: shape.plugins } : {}),
    ...(shape.email ? { email: { provider: shape.email } } : {}),
    ...(shape.webhooks ? { webhooks: shape.webhooks } : {}),
  };
  await writeFile(
    target,
    `import { defineAuth, defineConfig, defineDatabase, defineRuntime, defineStorage } from "./${src}";
export default defineConfig({
  name: ${JSON.stringify(shape.app)},
  providers: {
    runtime: ${runtime},
    database: defineDatabase("cloudflare-d1", { vars: ${JSON.stringify(shape.vars ?? {})} }),
    auth: defineAuth("better-auth", ${JSON.stringify(auth)}),${shape.storage ? `\n    storage: defineStorage("cloudflare-kv"),` : ""}
  },
});
`,
  );
  return path.relative(ROOT, target);
}

/** The plan the program computes for this config, env and stage: what a deploy must send. */
export async function planFor(
  config: string,
  env: NodeJS.ProcessEnv,
  stage: string,
): Promise<DeploymentPlan> {
  return planDeployment({ config: await loadConfig(path.join(ROOT, config)), env, stage, mode: "deploy" });
}

export function deploy(
  stage: string,
  config: string,
  env: NodeJS.ProcessEnv,
  args: string[] = [],
): Promise<RunResult> {
  return runProgram(["--stage", stage, "--config", config, ...args], env);
}

export function destroy(
  stage: string,
  config: string,
  env: NodeJS.ProcessEnv,
  args: string[] = [],
): Promise<RunResult> {
  return runProgram(["--destroy", "--stage", stage, "--config", config, ...args], env);
}

/** A stage a test file deployed, and how to destroy it: its config, environment and extra options. */
export interface DeployedStage {
  stage: string;
  config: string;
  env: NodeJS.ProcessEnv;
  args?: string[];
}

/**
 * Destroys a file's stages when it ends (all against its one stand-in), one after another in one
 * Bun process (test/deploy/destroy-stages.ts) instead of a `--destroy` run each: Bun's start and
 * the module load are most of such a run (~0.4 of ~0.45 s a stage on the project's machine). The
 * output is every destroy's; the code is 0 only if every stage is gone. Like the `--destroy` runs
 * it replaces, a failure does not fail the file: its output is printed.
 */
export async function destroyStages(stages: DeployedStage[]): Promise<RunResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "authform-destroy-"));
  const file = path.join(dir, "stages.json");
  try {
    const list = stages.map(({ stage, config, env, args = [] }) => ({ stage, config, env, args }));
    // The environments hold the stand-in's token and the state password: readable by this user only.
    await writeFile(file, JSON.stringify(list), { mode: 0o600 });
    const run = await runToCompletion([BUN, path.join(ROOT, "test", "deploy", "destroy-stages.ts"), file], {
      env: localEnv(),
      timeoutMs: 100_000,
    });
    if (run.code !== 0) console.error(`Destroying the file's stages failed:\n${run.output}`);
    return run;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The Worker bindings a plan implies, secrets without their values (compare them separately). */
export function planBindings(plan: DeploymentPlan, databaseId: string): WorkerBinding[] {
  const bindings: WorkerBinding[] = [
    ...Object.entries(plan.vars).map(([name, text]) => ({ type: "plain_text", name, text })),
    ...plan.secrets.map((s) => ({ type: "secret_text", name: s.name })),
    { type: "d1", name: "DB", id: databaseId },
  ];
  if (plan.bindings.EMAIL === "send_email") bindings.push({ type: "send_email", name: "EMAIL" });
  return sortBindings(bindings);
}

/** An upload's bindings with secret values taken out, and undefined fields dropped, sorted by name. */
export function withoutSecretValues(bindings: WorkerBinding[]): WorkerBinding[] {
  return sortBindings(
    bindings.map((b) => {
      const copy: WorkerBinding = { type: b.type, name: b.name };
      for (const [k, v] of Object.entries(b))
        if (v !== undefined && !(b.type === "secret_text" && k === "text")) copy[k] = v;
      return copy;
    }),
  );
}

export function secretValues(bindings: WorkerBinding[]): Record<string, string> {
  return Object.fromEntries(
    bindings.filter((b) => b.type === "secret_text").map((b) => [b.name, b.text as string]),
  );
}

function sortBindings(bindings: WorkerBinding[]): WorkerBinding[] {
  return [...bindings].sort((a, b) => a.name.localeCompare(b.name));
}

/** Every file under a folder with its text, for grepping state and outputs. */
export async function filesUnder(dir: string): Promise<{ file: string; text: string }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => {
        const file = path.join(e.parentPath, e.name);
        return { file, text: await readFile(file, "utf8") };
      }),
  );
}

/** A run the test can SIGKILL (with every process it started) at a moment of its choosing. */
export function killableRun(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(path.join(ROOT, "node_modules", ".bin", "bun"), ["alchemy.run.ts", ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const done = new Promise<RunResult>((resolve) =>
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : null), output })),
  );
  return {
    done,
    kill: async () => {
      process.kill(-(child.pid as number), "SIGKILL");
      await done;
    },
  };
}
