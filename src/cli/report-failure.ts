/** Prints a failure the way a person can act on it: a UserError as its message (its cause too with DEBUG), anything else with a stack. */
import { UserError } from "../user-error.ts";

export function reportFailure(err: unknown, env: Record<string, string | undefined> = process.env): number {
  if (err instanceof UserError) {
    console.error(err.message);
    if (err.nothingProvisioned) console.error("Nothing was provisioned.");
    // DEBUG: also the error the message explains (a deploy failure's Alchemy or network error).
    if (env.DEBUG && err.cause !== undefined) console.error("\nCaused by:", describe(err.cause));
    return 1;
  }
  console.error(describe(err));
  return 1;
}

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
