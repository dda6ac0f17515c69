/** A lifetime in whole seconds with a ceiling, for the email sign-in plugins' options; an absent field takes the runtime default (its @default). */
import * as z from "zod";
import { preview } from "../describe-value.ts";

export const seconds = (max: number, what: string) =>
  z
    .int({
      error: (iss) =>
        iss.code === "invalid_type"
          ? `expected a whole number of seconds, got ${preview(iss.input)}`
          : undefined,
    })
    .min(1)
    .max(max, { error: (iss) => `expected at most ${max} seconds (${what}), got ${preview(iss.input)}` });
