/**
 * Whether a `client_id` is a client ID metadata document URL this server will fetch
 * (draft-ietf-oauth-client-id-metadata-document §3): https, a path, no fragment, no user info, no
 * dot segments, and a host that passes the address filter. http is taken only for loopback hosts in
 * local mode, so a developer's client on 127.0.0.1 works on `bun alchemy.run.ts` and nowhere else.
 */
import { isFetchableHost } from "./address-filter.ts";

/** Cheap and synchronous: Better Auth asks it for every client lookup. */
export function looksLikeDocumentUrl(clientId: string): boolean {
  return clientId.startsWith("https://") || clientId.startsWith("http://");
}

/** The parsed URL when it may be fetched; otherwise why not. */
export function documentUrl(clientId: string, local: boolean): URL | string {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return "client_id is not a URL";
  }
  // A client_id that URL rewrites (case, default port, dot segments, 127.1) is not the document's own name.
  if (url.href !== clientId) return "client_id must be a URL in its normal form";
  if (url.username || url.password) return "client_id must not carry user info";
  if (url.hash || clientId.includes("#")) return "client_id must not have a fragment";
  if (url.pathname === "/" || url.pathname === "") return "client_id must have a path";
  const loopbackHttp = url.protocol === "http:" && local;
  if (url.protocol !== "https:" && !loopbackHttp) return "client_id must be an https URL";
  if (!isFetchableHost(url.hostname, local)) return "client_id's host is not a public address";
  if (url.protocol === "http:" && isFetchableHost(url.hostname, false)) {
    return "client_id may be http only for a loopback host in local mode";
  }
  return url;
}
