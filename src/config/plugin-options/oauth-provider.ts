/** The oauthProvider plugin's options (object form): the Account SPA's pages, registration, audiences, scopes and protected resources. */
import * as z from "zod";
import { preview } from "../describe-value.ts";
import { isHttpUrl } from "../vars.ts";
import { oauthResources } from "./oauth-resources.ts";

const httpUrl = z
  .string()
  .refine(isHttpUrl, { error: (iss) => `expected an absolute http(s) URL, got ${preview(iss.input)}` });

const pagePath = z.string().regex(/^\/\S*$/, {
  error: (iss) => `expected a path on ACCOUNT_URL starting with "/", got ${preview(iss.input)}`,
});

/** An OAuth scope token (RFC 6749 §3.3: printable ASCII without spaces, quotes or backslashes). */
const scopeName = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, {
  error: (iss) => `expected a scope name without spaces, got ${preview(iss.input)}`,
});

export const oauthProviderOptions = z
  .strictObject({
    consentPage: pagePath.default("/consent").describe("Path on ACCOUNT_URL of the consent screen."),
    loginPage: pagePath.default("/login").describe("Path on ACCOUNT_URL of the login screen."),
    allowDynamicClientRegistration: z.boolean().default(true),
    allowUnauthenticatedClientRegistration: z
      .boolean()
      .default(true)
      .describe("MCP clients register without a session."),
    validAudiences: z.array(httpUrl).min(1).optional().describe("Defaults to BETTER_AUTH_URL at runtime."),
    scopes: z.array(scopeName).min(1).default(["openid", "profile", "email", "offline_access"]),
    resources: oauthResources.optional(),
  })
  .describe("Options of the oauthProvider plugin (object form).");
