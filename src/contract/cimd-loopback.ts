/**
 * AUTHFORM_CIMD_LOOPBACK (local mode and tests only): client ID metadata documents of https hosts
 * served from loopback stand-ins, `https://agent.example.com=http://127.0.0.1:4100,…`. MCP clients
 * accept only https document URLs, which no loopback server can answer with a trusted certificate;
 * with this map the Worker fetches the same path from the stand-in, the way AUTHFORM_SOCIAL_LOOPBACK
 * stands in for social providers. One parser for the plan (which refuses it on a deploy) and the Worker.
 */
import { loopbackOrigin } from "./urls.ts";

export function parseCimdLoopback(
  value: string,
): { origins: Record<string, string> } | { problems: string[] } {
  const origins: Record<string, string> = {};
  const problems: string[] = [];
  for (const entry of value
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf("=");
    const from = httpsOrigin(entry.slice(0, eq));
    const to = loopbackOrigin(entry.slice(eq + 1));
    if (eq <= 0 || !from || !to) {
      problems.push(
        `"${entry}": expected <https origin>=<loopback http origin>, e.g. https://agent.example.com=http://127.0.0.1:4100`,
      );
      continue;
    }
    origins[from] = to;
  }
  return problems.length > 0 ? { problems } : { origins };
}

function httpsOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" || url.pathname !== "/" || url.search || url.hash) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** Where to fetch a document URL from: its stand-in when its origin is mapped, else itself. */
export function cimdFetchUrl(url: URL, origins: Record<string, string> | undefined): URL {
  const standIn = origins?.[url.origin];
  return standIn ? new URL(`${standIn}${url.pathname}${url.search}`) : url;
}
