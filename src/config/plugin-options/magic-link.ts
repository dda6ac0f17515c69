/** The magicLink plugin's options (object form): how long a link lives. */
import * as z from "zod";
import { seconds } from "./seconds.ts";

export const magicLinkOptions = z
  .strictObject({
    expiresIn: seconds(86_400, "a link is a short-lived secret")
      .optional()
      .describe("Seconds a link stays valid. @default 300"),
  })
  .describe("Options of the magicLink plugin (object form).");
