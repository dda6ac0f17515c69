/** The twoFactor plugin's options (object form): the issuer authenticator apps show, and whether every user must enroll. */
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
    required: z
      .boolean()
      .optional()
      .describe(
        "Whether every user must turn on two-factor: until they do, a signed-in user can only enroll (/api/v1 answers 403 two_factor_enrollment_required). @default false",
      ),
  })
  .describe("Options of the twoFactor plugin (object form).");
