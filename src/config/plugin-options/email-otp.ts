/** The emailOtp plugin's options (object form): how long a code lives and how many wrong guesses it takes. */
import * as z from "zod";
import { preview } from "../describe-value.ts";
import { seconds } from "./seconds.ts";

export const emailOtpOptions = z
  .strictObject({
    expiresIn: seconds(3600, "a code is a short-lived secret")
      .optional()
      .describe("Seconds a code stays valid. @default 300"),
    allowedAttempts: z
      .int()
      .min(1)
      .max(10, {
        error: (iss) =>
          `expected at most 10 (each wrong guess is a chance to find the code), got ${preview(iss.input)}`,
      })
      .optional()
      .describe("Wrong codes accepted before the code is burnt. @default 3"),
  })
  .describe("Options of the emailOtp plugin (object form).");
