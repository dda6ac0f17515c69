/** The command line of `bun alchemy.run.ts`: parsed and checked before anything else runs. */

import { parseArgs } from "node:util";
import { UserError } from "../user-error.ts";

export interface CliArgs {
  config: string;
  stage?: string;
  plan: boolean;
  /** Check the token, account, permissions and workers.dev subdomain the plan needs; change nothing. */
  check: boolean;
  destroy: boolean;
  /** With --destroy: also delete a production stage's database and generated secrets. */
  force: boolean;
  local: boolean;
  port?: number;
  /** Lets a run turn password sign-in off on a stage that had it, though the config does not mention it. */
  allowSignInRemoval: boolean;
  help: boolean;
}

export const USAGE = `Usage: bun alchemy.run.ts [options]

Deploys (or, without Cloudflare credentials, runs locally) the auth stack in quickback.config.ts.

Options:
  --stage NAME     isolated environment to deploy (default: $STAGE, else your user name)
  --config PATH    config file (default: quickback.config.ts)
  --plan           print what would be deployed and change nothing
  --check          check the Cloudflare token, account, permissions and workers.dev subdomain the
                   plan needs (read-only); with --plan, after the plan
  --destroy        remove every resource of the stage (a production stage keeps its database and secrets)
  --force          with --destroy: delete a production stage's database and secrets too
  --local          run locally on workerd even when Cloudflare credentials are set
  --port N         local mode: port to serve on (default: the stage's last port, else 1337 or the next free)
  --allow-sign-in-removal
                   turn password sign-in off on a stage that had it, though the config does not mention
                   emailAndPassword (its password-only users may be locked out; --plan counts them)
  -h, --help       show this help`;

export class UsageError extends UserError {
  override readonly nothingProvisioned = true;
  override name = "UsageError";
}

const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,23}$/;

export function parseCliArgs(argv: string[]): CliArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${USAGE}`);
  }
  const { values } = parsed;
  const stage = values.stage;
  if (stage !== undefined && !STAGE_PATTERN.test(stage)) {
    throw new UsageError(
      `--stage "${stage}" is not a valid stage name: use 1–24 lowercase letters, digits or dashes, starting with a letter.`,
    );
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new UsageError(`--port "${values.port}" is not a port number (1–65535).`);
    }
  }
  if (values.plan && values.destroy) throw new UsageError("--plan and --destroy cannot be used together.");
  if (values.check && values.destroy) throw new UsageError("--check and --destroy cannot be used together.");
  if (values.force && !values.destroy) {
    throw new UsageError("--force only goes with --destroy (it deletes a production stage's data too).");
  }
  return {
    config: values.config ?? "quickback.config.ts",
    stage,
    plan: values.plan ?? false,
    check: values.check ?? false,
    destroy: values.destroy ?? false,
    force: values.force ?? false,
    local: values.local ?? false,
    port,
    allowSignInRemoval: values["allow-sign-in-removal"] ?? false,
    help: values.help ?? false,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      config: { type: "string" },
      stage: { type: "string" },
      plan: { type: "boolean" },
      check: { type: "boolean" },
      destroy: { type: "boolean" },
      force: { type: "boolean" },
      local: { type: "boolean" },
      port: { type: "string" },
      "allow-sign-in-removal": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}
