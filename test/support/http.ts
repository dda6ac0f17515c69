/** A tiny cookie-keeping HTTP client, so tests talk to the stack as a browser session would. */
export class Session {
  private cookies = new Map<string, string>();

  /**
   * Each session is its own client with its own address (`cf-connecting-ip`, which workerd passes
   * through locally; Cloudflare overwrites it), so tests that play many users are not rate limited
   * as one. test/hardening/rate-limit.test.ts tests the limits themselves.
   */
  constructor(
    readonly base: string,
    readonly ip: string = nextClientIp(),
    /** How requests leave: the network by default, or e.g. a Miniflare Worker's dispatchFetch. */
    private readonly send: (url: string, init: RequestInit) => Promise<Response> = (url, init) =>
      fetch(url, init),
  ) {}

  async request(pathname: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      init.body = JSON.stringify(init.json);
    }
    if (this.cookies.size > 0)
      headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    // Better Auth checks the Origin of state-changing requests against its trusted origins.
    if (!headers.has("origin")) headers.set("origin", this.base);
    if (!headers.has("cf-connecting-ip")) headers.set("cf-connecting-ip", this.ip);
    const res = await this.send(new URL(pathname, this.base).href, { ...init, headers, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const [name, value = ""] = (pair as string).split("=");
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim()));
      if (expired || value === "") this.cookies.delete(name as string);
      else this.cookies.set(name as string, value);
    }
    return res;
  }

  post(pathname: string, json: unknown = {}) {
    return this.request(pathname, { method: "POST", json });
  }

  get(pathname: string) {
    return this.request(pathname);
  }

  hasCookies() {
    return this.cookies.size > 0;
  }
}

/** A private (10/8) address per session, starting at a random point so parallel runs differ too. */
let clientCounter = Math.floor(Math.random() * 0xfff000);
function nextClientIp(): string {
  const n = clientCounter++ & 0xffffff;
  return `10.${n >> 16}.${(n >> 8) & 0xff}.${n & 0xff}`;
}
