/** Registrable domains without the network: a built-in list of multi-label public suffixes, and domain matching. */

/**
 * Public suffixes with more than one label that authform knows (a small, common part of the
 * Public Suffix List, https://publicsuffix.org, which is not fetched: deploys run offline too).
 * The platform suffixes matter most: a cookie scoped to `pages.dev` would reach every stranger's
 * site there. A suffix missing here makes the computed domain one label too wide; browsers
 * refuse such a cookie (they carry the whole list), so the failure is a cookie that is not set,
 * never a cookie shared with another site. Set `cookieDomain` in the runtime options then.
 */
export const MULTI_LABEL_SUFFIXES: ReadonlySet<string> = new Set([
  // Country-code second levels.
  ...["co", "org", "me", "ltd", "plc", "net", "ac", "gov", "sch", "nhs", "police"].map((l) => `${l}.uk`),
  ...["com", "net", "org", "edu", "gov", "asn", "id"].map((l) => `${l}.au`),
  ...["co", "net", "org", "ac", "govt", "school", "geek", "gen", "kiwi", "maori"].map((l) => `${l}.nz`),
  ...["co", "ne", "or", "ac", "go", "ad", "ed", "gr", "lg"].map((l) => `${l}.jp`),
  ...["co", "or", "ne", "ac", "go", "re", "pe"].map((l) => `${l}.kr`),
  ...["com", "net", "org", "gov", "edu", "ac"].flatMap((l) =>
    [
      "cn",
      "hk",
      "tw",
      "sg",
      "my",
      "ph",
      "vn",
      "pk",
      "sa",
      "eg",
      "ng",
      "tr",
      "mx",
      "ar",
      "co",
      "pe",
      "ec",
      "ua",
      "pl",
      "br",
      "in",
    ].map((cc) => `${l}.${cc}`),
  ),
  ...["co", "firm", "gen", "ind"].map((l) => `${l}.in`),
  ...["co", "org", "ac", "gov", "net", "muni"].map((l) => `${l}.il`),
  ...["co", "org", "ac", "gov", "net", "web"].map((l) => `${l}.za`),
  ...["co", "or", "ac", "go"].flatMap((l) => [`${l}.id`, `${l}.th`, `${l}.ke`, `${l}.tz`, `${l}.ug`]),
  ...["co", "or", "ac"].map((l) => `${l}.at`),
  ...["co", "com"].map((l) => `${l}.ve`),
  // Platforms that give each customer a subdomain (the PSL's private section).
  "workers.dev",
  "pages.dev",
  "r2.dev",
  "trycloudflare.com",
  "github.io",
  "githubusercontent.com",
  "gitlab.io",
  "vercel.app",
  "netlify.app",
  "herokuapp.com",
  "fly.dev",
  "onrender.com",
  "appspot.com",
  "web.app",
  "firebaseapp.com",
  "azurewebsites.net",
  "azurestaticapps.net",
  "cloudfront.net",
  "amplifyapp.com",
  "blogspot.com",
  "deno.dev",
  "up.railway.app",
]);

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A DNS hostname as a browser holds it: lowercase labels, at least two, no trailing dot. */
export function isHostname(value: string): boolean {
  const labels = value.split(".");
  return value.length <= 253 && labels.length >= 2 && labels.every((l) => LABEL.test(l));
}

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

/** Whether `domain` is a public suffix: a single label (`com`) or one of the known multi-label ones. */
export function isPublicSuffix(domain: string): boolean {
  return !domain.includes(".") || MULTI_LABEL_SUFFIXES.has(domain);
}

/**
 * The registrable domain of a host ("eTLD+1"): `api.example.co.uk` → `example.co.uk`. Undefined for
 * hosts that have none (a public suffix itself, `localhost`, an IP address).
 */
export function registrableDomain(host: string): string | undefined {
  const name = host.toLowerCase();
  if (isLocalOrIp(name) || isPublicSuffix(name)) return undefined;
  const labels = name.split(".");
  // Walked from the left, so the first known suffix found is the longest one.
  for (let i = 1; i < labels.length - 1; i++) {
    if (MULTI_LABEL_SUFFIXES.has(labels.slice(i).join("."))) return labels.slice(i - 1).join(".");
  }
  return labels.slice(-2).join(".");
}

/** RFC 6265 §5.1.3 domain-match: `host` is `domain` or a subdomain of it. */
export function domainMatches(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}
