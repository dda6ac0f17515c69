/** loadConfig: imports quickback.config.ts (or --config PATH), takes its default export, and parses it. */
import { stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigFileError } from "./errors.ts";
import { parseConfig } from "./parse.ts";
import type { ResolvedConfig } from "./types.ts";

function causeMessage(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * Loads and parses a config file; the path is resolved against the working directory.
 * Runs the file (it is TypeScript) with the host's loader: bun in the CLI, vite in vitest.
 *
 * @example
 * // what `bun alchemy.run.ts --config staging.config.ts` does first
 * const config = await loadConfig("staging.config.ts");
 */
export async function loadConfig(file: string): Promise<ResolvedConfig> {
  const absolute = path.resolve(process.cwd(), file);
  const relative = path.relative(process.cwd(), absolute);
  // Show the path as the user would type it; outside the project an absolute path reads better.
  const source = relative === "" || relative.startsWith("..") ? absolute : relative;

  const info = await stat(absolute).catch(() => undefined);
  if (!info) {
    throw new ConfigFileError(
      `No config at ${absolute}. Create quickback.config.ts (see README) or pass --config PATH.`,
      source,
    );
  }
  if (info.isDirectory()) {
    throw new ConfigFileError(
      `${absolute} is a directory. Pass the config file itself, e.g. --config ${path.join(source, "quickback.config.ts")}.`,
      source,
    );
  }

  let module: { default?: unknown };
  try {
    module = await import(pathToFileURL(absolute).href);
  } catch (cause) {
    throw new ConfigFileError(`Could not load ${source}: ${causeMessage(cause)}`, source, { cause });
  }
  if (module.default === undefined) {
    throw new ConfigFileError(
      `${source} has no default export. End it with: export default defineConfig({ name, providers }).`,
      source,
    );
  }
  return parseConfig(module.default, source);
}
