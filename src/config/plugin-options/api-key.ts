/** The apiKey plugin's options (object form): its per-key rate limit. */
import * as z from "zod";
import { preview } from "../describe-value.ts";

/**
 * The per-key rate limit of apiKey, in Better Auth's own names and units (milliseconds). Off by
 * default: Better Auth resets a key's counter only after a quiet gap as long as the window, so a
 * client that never pauses that long is locked out once it has made maxRequests calls in total.
 */
export const apiKeyOptions = z
  .strictObject({
    rateLimit: z
      .strictObject({
        enabled: z.boolean().optional().describe("Whether keys are rate limited. @default false"),
        timeWindow: z
          .int()
          .min(1000, {
            error: (iss) => `expected at least 1000 (milliseconds), got ${preview(iss.input)}`,
          })
          .optional()
          .describe("Milliseconds of the window. @default 60000"),
        maxRequests: z.int().min(1).optional().describe("Requests a key may make per window. @default 1000"),
      })
      .optional(),
  })
  .describe("Options of the apiKey plugin (object form).");
