/**
 * The D1 schema: every table Better Auth 1.7 writes with all of authform's plugins and D1 rate
 * limiting, and authform's own. The core tables are in core-schema.ts, each plugin's in its folder;
 * drizzle-kit reads this file (drizzle.config.ts) and migrations/ follow it.
 */
import { auditLog } from "../audit/schema.ts";
import { apikey } from "../auth/plugins/api-key/schema.ts";
import { jwks } from "../auth/plugins/jwt/schema.ts";
import {
  oauthAccessToken,
  oauthClient,
  oauthClientAssertion,
  oauthClientResource,
  oauthConsent,
  oauthRefreshToken,
  oauthResource,
} from "../auth/plugins/oauth-provider/schema.ts";
import { invitation, member, organization } from "../auth/plugins/organization/schema.ts";
import { passkey } from "../auth/plugins/passkey/schema.ts";
import { twoFactor } from "../auth/plugins/two-factor/schema.ts";
import { webhookDeadLetter } from "../webhooks/schema.ts";
import { account, accountAttempt, rateLimit, session, user, verification } from "./core-schema.ts";

export {
  account,
  accountAttempt,
  apikey,
  auditLog,
  invitation,
  jwks,
  member,
  oauthAccessToken,
  oauthClient,
  oauthClientAssertion,
  oauthClientResource,
  oauthConsent,
  oauthRefreshToken,
  oauthResource,
  organization,
  passkey,
  rateLimit,
  session,
  twoFactor,
  user,
  verification,
  webhookDeadLetter,
};

/** The tables only authform writes, by table name (test/db/schema.test.ts checks them apart from Better Auth's). */
export const authformSchema = { accountAttempt, auditLog, webhookDeadLetter };

/** Keyed by Better Auth model name, for `drizzleAdapter(db, { provider: "sqlite", schema })`. */
export const schema = {
  user,
  session,
  account,
  verification,
  passkey,
  jwks,
  apikey,
  organization,
  member,
  invitation,
  oauthClient,
  oauthResource,
  oauthClientResource,
  oauthRefreshToken,
  oauthAccessToken,
  oauthConsent,
  oauthClientAssertion,
  twoFactor,
  rateLimit,
};
