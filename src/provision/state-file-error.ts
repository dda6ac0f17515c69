/** A local state file that cannot be read: which file, and how a person recovers. */

import path from "node:path";
import { UserError } from "../user-error.ts";

export class StateFileError extends UserError {
  override name = "StateFileError";

  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(
      [
        `Cannot read the state file ${path.relative(process.cwd(), file) || file}: ${reason}.`,
        "authform writes state files whole (temp file, then rename); an edit, a full disk or an older",
        "authform killed while writing can still leave one cut short.",
        "To recover, either:",
        "  • restore the file from a backup or an earlier copy, then run again; or",
        "  • delete the file and run again: the run creates that resource anew. For a deployed stage, a",
        "    resource of the same name still on Cloudflare makes that create fail: delete it there first.",
      ].join("\n"),
    );
  }
}
