/** The zod schema of `socialProviders` and `accountLinking` in defineAuth("better-auth", {...}). */
import * as z from "zod";
import { SOCIAL_PROVIDER_IDS, type SocialProviderId } from "../contract/social-providers.ts";
import { preview } from "./describe-value.ts";

/** A scope is one token of RFC 6749 §3.3: printable ASCII without spaces, quotes or backslashes. */
const scope = z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, {
  error: (iss) => `expected a scope like "user:email", got ${preview(iss.input)}`,
});

const providerOptions = z.strictObject({
  scope: z
    .array(scope)
    .optional()
    .describe("Scopes asked for besides the provider's defaults (src/contract/social-providers.ts)."),
});

type ProviderShape = { [Id in SocialProviderId]: z.ZodOptional<typeof providerOptions> };

export const socialProviders = z
  .strictObject(
    Object.fromEntries(SOCIAL_PROVIDER_IDS.map((id) => [id, providerOptions.optional()])) as ProviderShape,
    {
      error: (iss) =>
        iss.code === "unrecognized_keys"
          ? iss.keys
              .map(
                (key) =>
                  `"${key}" is not a supported social provider (expected ${SOCIAL_PROVIDER_IDS.join(", ")})`,
              )
              .join("; ")
          : undefined,
    },
  )
  .describe(
    "Social sign-in: { google: {}, github: { scope: [...] } }; credentials come from the environment.",
  );

export const accountLinking = z.strictObject({
  trustedProviders: z
    .array(
      z.enum(SOCIAL_PROVIDER_IDS, {
        error: (iss) => `expected one of ${SOCIAL_PROVIDER_IDS.join(", ")}, got ${preview(iss.input)}`,
      }),
    )
    .optional()
    .describe(
      "Providers whose sign-in links to an existing user with the same email even when the provider does not say the email is verified.",
    ),
});
