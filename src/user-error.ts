/** The base of every error whose message tells a person what to do: printed alone, never with a stack trace. */
export class UserError extends Error {
  override name = "UserError";
  /** Raised before any resource was touched: the report adds "Nothing was provisioned." */
  readonly nothingProvisioned: boolean = false;
}
