/**
 * Which hosts a client ID metadata document may be fetched from. A Worker cannot resolve DNS
 * itself, so this refuses what it can see: IP literals in private, loopback, link-local, shared,
 * unspecified or cloud-metadata ranges, and names that mean this machine or an internal network.
 * Public names that resolve to private addresses are left to Cloudflare's egress, which does not
 * route Workers' subrequests to private networks. Local mode allows loopback (tests and dev clients).
 */

/** IPv4 ranges refused outside local mode: [first octets as a prefix, prefix length]. */
const REFUSED_V4: Array<[number, number]> = [
  [0x00000000, 8], // 0.0.0.0/8 "this network"
  [0x0a000000, 8], // 10/8 private
  [0x64400000, 10], // 100.64/10 shared (CGNAT)
  [0x7f000000, 8], // 127/8 loopback
  [0xa9fe0000, 16], // 169.254/16 link-local, cloud metadata (169.254.169.254)
  [0xac100000, 12], // 172.16/12 private
  [0xc0000000, 24], // 192.0.0/24 IETF protocol assignments
  [0xc0a80000, 16], // 192.168/16 private
  [0xc6120000, 15], // 198.18/15 benchmarking
  [0xe0000000, 3], // 224/3 multicast and reserved
];

const LOOPBACK_NAMES = new Set(["localhost"]);
/** Names that only mean something inside a network (RFC 6761, RFC 6762, cloud metadata). */
const INTERNAL_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa", ".lan"];

export type HostVerdict = "public" | "loopback" | "refused";

/** `hostname` as URL gives it (IPv6 in brackets, lower case). */
export function classifyHost(hostname: string): HostVerdict {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (LOOPBACK_NAMES.has(host)) return "loopback";
  const v4 = parseIPv4(host);
  if (v4 !== undefined) return v4 >>> 24 === 127 ? "loopback" : inV4Ranges(v4) ? "refused" : "public";
  if (host.startsWith("[")) return classifyIPv6(host.slice(1, -1));
  if (INTERNAL_SUFFIXES.some((s) => host.endsWith(s)) || !host.includes(".")) return "refused";
  return "public";
}

/** Whether a document on this host may be fetched: public always, loopback only in local mode. */
export function isFetchableHost(hostname: string, local: boolean): boolean {
  const verdict = classifyHost(hostname);
  return verdict === "public" || (local && verdict === "loopback");
}

function inV4Ranges(ip: number): boolean {
  return REFUSED_V4.some(([base, bits]) => ip >>> (32 - bits) === base >>> (32 - bits));
}

/** Dotted quad only: URL has already normalised 127.1, 0x7f.0.0.1 and friends to it. */
function parseIPv4(host: string): number | undefined {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function classifyIPv6(ip: string): HostVerdict {
  if (ip === "::1") return "loopback";
  if (ip === "::") return "refused";
  // IPv4-mapped (::ffff:a.b.c.d, which URL writes as ::ffff:7f00:1): judged as the IPv4 address.
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ip);
  if (mapped) {
    const v4 = Number.parseInt(mapped[1] ?? "0", 16) * 65536 + Number.parseInt(mapped[2] ?? "0", 16);
    return v4 >>> 24 === 127 ? "loopback" : inV4Ranges(v4) ? "refused" : "public";
  }
  const first = Number.parseInt(ip.split(":")[0] || "0", 16);
  // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast, and the v4-compatible/NAT64 forms.
  if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00)
    return "refused";
  if (ip.startsWith("::") || ip.startsWith("64:ff9b:")) return "refused";
  return "public";
}
