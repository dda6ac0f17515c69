/** Prints a failure the way a person can act on it: a UserError as its message, anything else with a stack. */
import { UserError } from "../user-error.ts";

export function reportFailure(err: unknown): number {
  if (err instanceof UserError) {
    console.error(err.message);
    if (err.nothingProvisioned) console.error("Nothing was provisioned.");
    return 1;
  }
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  return 1;
}
