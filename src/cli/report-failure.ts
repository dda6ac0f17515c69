/** Prints a failure the way a person can act on it: known errors as their message, others with a stack. */
import { ConfigError } from "../config/errors.ts";
import { MissingEnvError, UrlPlanError } from "../plan/errors.ts";
import { UsageError } from "./args.ts";

const KNOWN = [ConfigError, MissingEnvError, UrlPlanError, UsageError];

export function reportFailure(err: unknown): number {
  if (KNOWN.some((k) => err instanceof k)) {
    console.error((err as Error).message);
    console.error("Nothing was provisioned.");
    return 1;
  }
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  return 1;
}
