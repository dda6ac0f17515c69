/** The WebAuthn relying party of a stack: the Account SPA's origin (ACCOUNT_URL), named after the app. */
import type { WorkerEnv } from "../../../env.ts";

export interface RelyingParty {
  /** The RP ID: ACCOUNT_URL's hostname. A passkey is bound to it: pages on that host (or its subdomains) can use it. */
  rpID: string;
  /** The origin browsers report in clientDataJSON: ACCOUNT_URL's origin, without path or trailing slash. */
  origin: string;
  /** Shown in the browser's passkey prompt. */
  rpName: string;
}

export function relyingParty(env: Pick<WorkerEnv, "ACCOUNT_URL" | "APP_NAME">): RelyingParty {
  let url: URL;
  try {
    url = new URL(env.ACCOUNT_URL);
  } catch {
    throw new Error(
      `passkey needs ACCOUNT_URL to be the Account SPA's absolute URL (e.g. https://account.example.com), got ${JSON.stringify(env.ACCOUNT_URL)}.`,
    );
  }
  return { rpID: url.hostname, origin: url.origin, rpName: env.APP_NAME };
}
