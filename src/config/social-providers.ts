/** The zod schema of `socialProviders`, `genericOAuth` and `accountLinking` in defineAuth("better-auth", {...}). */
import * as z from "zod";
import {
  GENERIC_PROVIDER_ID,
  SOCIAL_PROVIDER_IDS,
  type SocialProviderId,
} from "../contract/social-providers.ts";
import { isLoopbackUrl } from "../contract/urls.ts";
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

/**
 * A Microsoft Entra tenant: "common" (any account), "organizations", "consumers", a tenant id
 * (GUID) or a verified domain. It is part of every Microsoft endpoint's path.
 */
const tenantId = z
  .string()
  .regex(
    /^(common|organizations|consumers|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|([a-z0-9-]+\.)+[a-z]{2,})$/i,
    {
      error: (iss) =>
        `expected "common", "organizations", "consumers", a tenant id (GUID) or a domain like contoso.onmicrosoft.com, got ${preview(iss.input)}`,
    },
  );

const microsoftOptions = providerOptions.extend({
  tenantId: tenantId
    .default("common")
    .describe('The Entra tenant whose accounts may sign in. @default "common" (work, school and personal)'),
});

const ProviderShape = {
  google: providerOptions.optional(),
  github: providerOptions.optional(),
  apple: providerOptions.optional(),
  microsoft: microsoftOptions.optional(),
  discord: providerOptions.optional(),
} satisfies Record<SocialProviderId, z.ZodOptional<z.ZodType>>;

export const socialProviders = z
  .strictObject(ProviderShape, {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? iss.keys
            .map(
              (key) =>
                `"${key}" is not a supported social provider (expected ${SOCIAL_PROVIDER_IDS.join(", ")})`,
            )
            .join("; ")
        : undefined,
  })
  .describe(
    "Social sign-in: { google: {}, github: { scope: [...] }, microsoft: { tenantId } }; credentials come from the environment.",
  );

/** https, or http on loopback (the plan allows that in local mode only). */
const discoveryUrl = z.string().refine(
  (value) => {
    if (isLoopbackUrl(value)) return true;
    try {
      return new URL(value).protocol === "https:";
    } catch {
      return false;
    }
  },
  {
    error: (iss) =>
      `expected an https URL of an OpenID Connect discovery document (…/.well-known/openid-configuration), got ${preview(iss.input)}`,
  },
);

const genericProvider = z.strictObject({
  providerId: z
    .string()
    .regex(GENERIC_PROVIDER_ID, {
      error: (iss) =>
        `expected an id of lower-case letters, digits and dashes (it is in the callback URL), got ${preview(iss.input)}`,
    })
    .refine((id) => !(SOCIAL_PROVIDER_IDS as readonly string[]).includes(id), {
      error: (iss) =>
        `"${String(iss.input)}" is a built-in provider: use socialProviders.${String(iss.input)} instead`,
    })
    .describe("The provider's id: its callback URL is <BETTER_AUTH_URL>/auth/v1/callback/<providerId>."),
  name: z.string().min(1).max(40).optional().describe("How the sign-in button names it. @default providerId"),
  discoveryUrl: discoveryUrl.describe("The provider's OpenID Connect discovery document."),
  scopes: z.array(scope).optional().describe('Scopes asked for ("openid" is added for OIDC providers).'),
});

export const genericOAuth = z
  .array(genericProvider)
  .superRefine((providers, ctx) => {
    const seen = new Set<string>();
    providers.forEach((p, index) => {
      if (seen.has(p.providerId)) {
        ctx.addIssue({
          code: "custom",
          path: [index, "providerId"],
          message: `"${p.providerId}" is used twice: each provider needs its own id`,
        });
      }
      seen.add(p.providerId);
    });
  })
  .describe(
    "Any OAuth 2.0 / OpenID Connect provider by discovery: [{ providerId, discoveryUrl, scopes? }]; credentials come from <PROVIDERID>_CLIENT_ID and _CLIENT_SECRET.",
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
