/** A browser-like cookie jar (RFC 6265 storage and domain/path/secure matching) for tests that span several hosts. */

interface StoredCookie {
  name: string;
  value: string;
  /** The Domain attribute (lowercase, no leading dot), or the setting host for a host-only cookie. */
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
}

export class CookieJar {
  private cookies: StoredCookie[] = [];

  /** Stores every Set-Cookie of a response the way a browser does, or drops it as a browser would. */
  store(url: string | URL, response: Response): void {
    const { hostname } = new URL(url);
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...parts] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const cookie: StoredCookie = {
        name: pair.slice(0, eq).trim(),
        value: pair.slice(eq + 1).trim(),
        domain: hostname,
        hostOnly: true,
        path: "/",
        secure: false,
      };
      let expired = false;
      for (const part of parts) {
        const [rawKey = "", ...rest] = part.split("=");
        const key = rawKey.trim().toLowerCase();
        const value = rest.join("=").trim();
        if (key === "domain" && value !== "") {
          const domain = value.replace(/^\./, "").toLowerCase();
          // §5.3 step 6: a Domain the setting host does not domain-match is rejected outright.
          if (!domainMatch(hostname, domain)) {
            expired = true;
            break;
          }
          cookie.domain = domain;
          cookie.hostOnly = false;
        } else if (key === "path" && value.startsWith("/")) cookie.path = value;
        else if (key === "secure") cookie.secure = true;
        else if (key === "max-age" && Number(value) <= 0) expired = true;
        else if (key === "expires" && Date.parse(value) <= Date.now()) expired = true;
      }
      this.cookies = this.cookies.filter(
        (c) => !(c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path),
      );
      if (!expired) this.cookies.push(cookie);
    }
  }

  /** The Cookie header a browser sends to `url`, or undefined when no cookie applies. */
  headerFor(url: string | URL): string | undefined {
    const { hostname, pathname, protocol } = new URL(url);
    const sent = this.cookies.filter(
      (c) =>
        (c.hostOnly ? hostname === c.domain : domainMatch(hostname, c.domain)) &&
        (pathname === c.path || pathname.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`)) &&
        (!c.secure || protocol === "https:"),
    );
    return sent.length === 0 ? undefined : sent.map((c) => `${c.name}=${c.value}`).join("; ");
  }

  /** What the jar holds, for assertions: name → Domain (undefined for host-only cookies). */
  domains(): Record<string, string | undefined> {
    return Object.fromEntries(this.cookies.map((c) => [c.name, c.hostOnly ? undefined : c.domain]));
  }
}

function domainMatch(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}
