/**
 * D1 statements per request, route by route, on one authform stack (issue 22): every route a user
 * of the full plugin set calls that plain HTTP can drive (passkeys need an authenticator: not here).
 * The Worker counts them when its config sets `AUTHFORM_COUNT_D1_QUERIES` (bench/configs/*) and
 * answers the count in the `x-authform-d1-queries` header; each request is sent once, as a user sends
 * it. Areas are in d1-statements/; a stack without a plugin skips its routes.
 */
import { countAccountRoutes, type SignedInUser } from "./d1-statements/account.ts";
import { countAnonymousRoutes } from "./d1-statements/anonymous.ts";
import { countApiKeyRoutes } from "./d1-statements/api-key.ts";
import { countEmailSignIns } from "./d1-statements/email-sign-in.ts";
import { countOAuthProviderRoutes } from "./d1-statements/oauth-provider.ts";
import { countOrganizationRoutes } from "./d1-statements/organization.ts";
import { countPublicReads } from "./d1-statements/public-reads.ts";
import { type D1Statements, RouteCounter } from "./d1-statements/route-counter.ts";
import { countSessionEndRoutes } from "./d1-statements/sessions.ts";
import { newCredentials } from "./d1-statements/signed-in.ts";

export type { D1Statements };

/** `stage` is the stack's stage: its local outbox holds the emailed codes and links. */
export async function measureD1Statements(
  base: string,
  plugins: string[],
  stage: string,
): Promise<D1Statements> {
  const counter = new RouteCounter(base);
  const user: SignedInUser = await countAccountRoutes(counter, newCredentials("d1"));
  await countPublicReads(counter, plugins);
  await countEmailSignIns(counter, stage, plugins);
  await countAnonymousRoutes(counter, plugins);
  if (plugins.includes("organization")) await countOrganizationRoutes(counter, user);
  if (plugins.includes("apiKey")) await countApiKeyRoutes(counter, user);
  if (plugins.includes("oauthProvider")) await countOAuthProviderRoutes(counter, user);
  await countSessionEndRoutes(counter, user);
  return counter.rows;
}
