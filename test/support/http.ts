/** A tiny cookie-keeping HTTP client, so tests talk to the stack as a browser session would. */
export class Session {
  private cookies = new Map<string, string>();

  constructor(readonly base: string) {}

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
    const res = await fetch(new URL(pathname, this.base), { ...init, headers, redirect: "manual" });
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
