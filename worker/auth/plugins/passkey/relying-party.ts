/**
 * The WebAuthn relying party of a stack: its site's RP ID, named after the app, and the pages that may
 * run a ceremony — the Account SPA first, then the app's own pages (APP_URL and the config's
 * `trustedOrigins`) that the RP ID covers.
 */
import { hostOf, originOf } from "../../../../src/contract/urls.ts";
import type { WorkerEnv } from "../../../env.ts";
import { trustedOrigins } from "../../origins.ts";

export interface RelyingParty {
  /**
   * The RP ID: the plan's AUTHFORM_RP_ID (the registrable domain the API and Account SPA share, e.g.
   * example.com), else ACCOUNT_URL's hostname. A passkey is bound to it: pages on that host and its
   * subdomains can use it.
   */
  rpID: string;
  /**
   * The origins browsers may report in clientDataJSON: ACCOUNT_URL's first, then APP_URL's and the
   * config's trusted origins on the RP ID's site. Never the API's own origin (unless it is also one of
   * those): it serves no sign-in page, so a ceremony claiming it is refused.
   */
  origin: string[];
  /** Shown in the browser's passkey prompt. */
  rpName: string;
}

type RelyingPartyEnv = Pick<WorkerEnv, "ACCOUNT_URL" | "APP_NAME"> &
  Partial<Pick<WorkerEnv, "AUTHFORM_RP_ID" | "AUTHFORM_TRUSTED_ORIGINS" | "BETTER_AUTH_URL" | "APP_URL">>;

export function relyingParty(env: RelyingPartyEnv): RelyingParty {
  let url: URL;
  try {
    url = new URL(env.ACCOUNT_URL);
  } catch {
    throw new Error(
      `passkey needs ACCOUNT_URL to be the Account SPA's absolute URL (e.g. https://account.example.com), got ${JSON.stringify(env.ACCOUNT_URL)}.`,
    );
  }
  const rpID = env.AUTHFORM_RP_ID?.trim() || url.hostname;
  const covered = (host: string | undefined) =>
    host !== undefined && (host === rpID || host.endsWith(`.${rpID}`));
  // WebAuthn refuses an RP ID the page's host is not equal to or a subdomain of: say so at start-up.
  if (!covered(url.hostname)) {
    throw new Error(
      `passkey's RP ID ${JSON.stringify(rpID)} (AUTHFORM_RP_ID) does not cover ACCOUNT_URL's host ${JSON.stringify(url.hostname)}.`,
    );
  }
  return { rpID, origin: ceremonyOrigins(env, url.origin, covered), rpName: env.APP_NAME };
}

/**
 * Pages a browser would let use this RP ID and that the stack already trusts with credentials (CORS,
 * Better Auth's origin check). Others are left out rather than refused: a browser would not run a
 * ceremony for this RP ID there anyway (an `http://localhost` dev origin beside a production site).
 */
function ceremonyOrigins(
  env: RelyingPartyEnv,
  account: string,
  covered: (host: string | undefined) => boolean,
): string[] {
  const api = originOf(env.BETTER_AUTH_URL);
  const app = originOf(env.APP_URL);
  const pages = env.BETTER_AUTH_URL
    ? trustedOrigins({
        BETTER_AUTH_URL: env.BETTER_AUTH_URL,
        ACCOUNT_URL: env.ACCOUNT_URL,
        APP_URL: env.APP_URL ?? env.ACCOUNT_URL,
        AUTHFORM_TRUSTED_ORIGINS: env.AUTHFORM_TRUSTED_ORIGINS,
      }).filter((origin) => origin !== api || origin === account || origin === app)
    : [];
  return [...new Set([account, ...pages.filter((origin) => covered(hostOf(origin)))])];
}
