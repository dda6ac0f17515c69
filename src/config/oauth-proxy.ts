/** The zod schema of `oauthProxy` in defineAuth("better-auth", {...}): previews sign in socially through a stable stage. */
import * as z from "zod";
import { preview } from "./describe-value.ts";
import { report } from "./messages.ts";
import { checkTrustedOrigin } from "./trusted-origin.ts";

/** What `--stage` accepts (src/cli/args.ts and runtime.productionStages check the same shape). */
const STAGE_NAME = /^[a-z][a-z0-9-]{0,23}$/;

/** An origin as a browser sends it: https, or http on localhost for two local stacks. */
const origin = z.string().transform((value, ctx) => {
  const checked = checkTrustedOrigin(value);
  if ("origin" in checked) return checked.origin;
  report(ctx, [checked.issue]);
  return z.NEVER;
});

export const oauthProxy = z
  .strictObject({
    stage: z
      .string()
      .regex(STAGE_NAME, {
        error: (iss) => `expected a stage name like "production", got ${preview(iss.input)}`,
      })
      .optional()
      .describe(
        "The stable stage: its callback URLs are the ones registered at the providers. Default: the only production stage.",
      ),
    url: origin
      .optional()
      .describe(
        "The stable stage's BETTER_AUTH_URL origin, e.g. https://auth.example.com. Default: https://<runtime.domains.api>.",
      ),
    previewOrigins: z
      .array(origin)
      .optional()
      .describe(
        "Origins the stable stage may forward a sign-in to besides this app's pr-<n> previews on workers.dev (exact origins, no wildcards).",
      ),
  })
  .describe(
    "Social sign-in on previews: the providers call the stable stage back, which forwards the sealed result to the preview (docs/social-previews.md).",
  );
