/** Prints a failure the way a person can act on it: known errors as their message, others with a stack. */
import { ConfigError } from "../config/errors.ts";
import { MissingEnvError, UrlPlanError } from "../plan/errors.ts";
import { StateFileError } from "../provision/state-file-error.ts";
import { UsageError } from "./args.ts";

/** Raised before anything is provisioned. */
const BEFORE_PROVISIONING = [ConfigError, MissingEnvError, UrlPlanError, UsageError];
/** Errors whose message says what to do; a stack trace would only bury it. */
const SELF_EXPLAINING = [StateFileError];

export function reportFailure(err: unknown): number {
  if (BEFORE_PROVISIONING.some((k) => err instanceof k)) {
    console.error((err as Error).message);
    console.error("Nothing was provisioned.");
    return 1;
  }
  if (SELF_EXPLAINING.some((k) => err instanceof k)) {
    console.error((err as Error).message);
    return 1;
  }
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  return 1;
}
