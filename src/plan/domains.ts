/** Registrable domains from the full Public Suffix List (bundled by tldts, offline), and domain matching. */
import { getDomain, getPublicSuffix } from "tldts";

/**
 * The PSL as tldts 7.6.0 ships it, including its private section (`workers.dev`, `pages.dev`,
 * `github.io`, `s3.amazonaws.com`…): a cookie scoped to one of those would reach strangers' sites.
 * Plan-time only: the Worker never imports this module, so tldts stays out of its bundle.
 */
const PSL = { allowPrivateDomains: true } as const;

/** `localhost`, `*.localhost` and IP literals: hosts that never take a Domain cookie attribute. */
export function isLocalOrIp(host: string): boolean {
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    /^\d{1,3}(\.\d{1,3}){3}$/.test(host) ||
    host.startsWith("[") ||
    host.includes(":")
  );
}

/**
 * Whether `domain` is a public suffix: a single label (`com`, or a TLD the list does not know) or
 * a rule of the list, wildcards and exceptions included (`co.uk`, `foo.kawasaki.jp`, `workers.dev`).
 */
export function isPublicSuffix(domain: string): boolean {
  const name = domain.toLowerCase();
  return !name.includes(".") || getPublicSuffix(name, PSL) === name;
}

/**
 * The registrable domain of a host ("eTLD+1"): `api.example.co.uk` → `example.co.uk`,
 * `app-pr-1.acme.workers.dev` → `acme.workers.dev`. Undefined for hosts that have none (a public
 * suffix itself, `localhost`, an IP address).
 */
export function registrableDomain(host: string): string | undefined {
  const name = host.toLowerCase();
  if (isLocalOrIp(name) || isPublicSuffix(name)) return undefined;
  return getDomain(name, PSL) ?? undefined;
}

/** RFC 6265 §5.1.3 domain-match: `host` is `domain` or a subdomain of it. */
export function domainMatches(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}
