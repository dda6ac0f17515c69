/** The passkey plugin's options (object form): whether a ceremony must verify the user. */
import * as z from "zod";
import { preview } from "../describe-value.ts";

export const passkeyOptions = z
  .strictObject({
    userVerification: z
      .enum(["required", "preferred"], {
        error: (iss) => `expected "required" or "preferred", got ${preview(iss.input)}`,
      })
      .optional()
      .describe(
        'Whether a passkey ceremony must prove the user (fingerprint, face, PIN), checked by the Worker. @default "preferred"',
      ),
  })
  .describe("Options of the passkey plugin (object form).");
