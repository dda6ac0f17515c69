/** The twoFactor plugin's options (object form): the issuer authenticator apps show, and no enforced enrollment yet. */
import * as z from "zod";
import { preview } from "../describe-value.ts";

export const twoFactorOptions = z
  .strictObject({
    issuer: z
      .string()
      .trim()
      .min(1, { error: "expected the name authenticator apps show, got an empty string" })
      .max(64, { error: (iss) => `expected at most 64 characters, got ${preview(iss.input)}` })
      .optional()
      .describe("The name authenticator apps list the code under. @default APP_NAME"),
    // Enforced enrollment is not built yet: saying `true` would promise a protection nobody gets.
    required: z
      .literal(false, {
        error: () =>
          "required: true is not supported yet (authform does not yet send users without 2FA to enroll); remove it, or set it to false",
      })
      .optional()
      .describe("Whether every user must enroll. Only false for now. @default false"),
  })
  .describe("Options of the twoFactor plugin (object form).");
