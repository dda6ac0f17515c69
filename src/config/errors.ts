/** The errors a config can raise: every problem at once, each with its path, what arrived, and the fix. */
import { UserError } from "../user-error.ts";

export const DEFAULT_SOURCE = "quickback.config.ts";

/** One problem in a config. */
export interface ConfigIssue {
  /** Where, as the user wrote it: `providers.auth.plugins[2]`, `providers.database.vars.EMAIL_FROM`; "" for the whole config. */
  path: string;
  /** What was expected and what arrived: `expected an email address, got "noreply"`. */
  message: string;
  /** What to do about it, when there is one thing to do: `add "anonymous" to plugins`. */
  fix?: string;
}

/** One bullet per issue, in the order they were found. */
export function formatIssues(issues: readonly ConfigIssue[], source: string): string {
  const lines = issues.map((issue) => {
    const where = issue.path === "" ? "" : `${issue.path}: `;
    const fix = issue.fix === undefined ? "" : ` — ${issue.fix}`;
    return `  • ${where}${issue.message}${fix}`;
  });
  return [`Invalid auth config in ${source}:`, ...lines].join("\n");
}

/**
 * A config that does not describe a stack authform can deploy.
 *
 * @example
 * // show every problem, then stop before anything is provisioned
 * try { parseConfig(input) } catch (err) { if (err instanceof ConfigError) console.error(err.message) }
 */
export class ConfigError extends UserError {
  override readonly nothingProvisioned = true;
  override name = "ConfigError";
  readonly issues: ConfigIssue[];
  /** The file the config came from, as shown to the user. */
  readonly source: string;

  constructor(issues: ConfigIssue[], source: string = DEFAULT_SOURCE, options?: ErrorOptions) {
    super(formatIssues(issues, source), options);
    this.issues = issues;
    this.source = source;
  }
}

/**
 * The config file could not be turned into a config at all: missing, no default export, or it threw.
 * A ConfigError so the CLI reports it the same way (message only, nothing provisioned).
 */
export class ConfigFileError extends ConfigError {
  override name = "ConfigFileError";

  constructor(message: string, source: string, options?: ErrorOptions) {
    super([{ path: "", message }], source, options);
    // The file, not a field, is what is wrong: one sentence reads better than a bullet list.
    this.message = message;
  }
}
