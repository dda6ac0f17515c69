/** The WebAuthn relying party of a stack: the Account SPA's origin (ACCOUNT_URL), its site's RP ID, named after the app. */
import type { WorkerEnv } from "../../../env.ts";

export interface RelyingParty {
  /**
   * The RP ID: the plan's AUTHFORM_RP_ID (the registrable domain the API and Account SPA share, e.g.
   * example.com), else ACCOUNT_URL's hostname. A passkey is bound to it: pages on that host and its
   * subdomains can use it.
   */
  rpID: string;
  /** The origin browsers report in clientDataJSON: ACCOUNT_URL's origin, without path or trailing slash. */
  origin: string;
  /** Shown in the browser's passkey prompt. */
  rpName: string;
}

export function relyingParty(
  env: Pick<WorkerEnv, "ACCOUNT_URL" | "APP_NAME"> & Partial<Pick<WorkerEnv, "AUTHFORM_RP_ID">>,
): RelyingParty {
  let url: URL;
  try {
    url = new URL(env.ACCOUNT_URL);
  } catch {
    throw new Error(
      `passkey needs ACCOUNT_URL to be the Account SPA's absolute URL (e.g. https://account.example.com), got ${JSON.stringify(env.ACCOUNT_URL)}.`,
    );
  }
  const rpID = env.AUTHFORM_RP_ID?.trim() || url.hostname;
  // WebAuthn refuses an RP ID the page's host is not equal to or a subdomain of: say so at start-up.
  if (url.hostname !== rpID && !url.hostname.endsWith(`.${rpID}`)) {
    throw new Error(
      `passkey's RP ID ${JSON.stringify(rpID)} (AUTHFORM_RP_ID) does not cover ACCOUNT_URL's host ${JSON.stringify(url.hostname)}.`,
    );
  }
  return { rpID, origin: url.origin, rpName: env.APP_NAME };
}
