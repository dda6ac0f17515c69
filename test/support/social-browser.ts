/**
 * A browser for social sign-in over plain HTTP: it keeps cookies per host (the stack on localhost,
 * the provider stand-ins on 127.0.0.1) and follows redirects one hop at a time, so a test sees
 * every stop of the round trip.
 */
import { CookieJar } from "./cookie-jar.ts";

export interface Hop {
  url: string;
  status: number;
}

let counter = Math.floor(Math.random() * 0xff00);

export class SocialBrowser {
  readonly jar = new CookieJar();
  /** Its own client address, so each test's browser has its own rate-limit bucket. */
  private readonly ip = `10.77.${(counter >> 8) & 0xff}.${counter++ & 0xff}`;

  constructor(readonly stackUrl: string) {}

  async send(url: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.jar.headerFor(url);
    if (cookie) headers.set("cookie", cookie);
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      init.body = JSON.stringify(init.json);
    }
    if (new URL(url).origin === this.stackUrl) {
      headers.set("cf-connecting-ip", this.ip);
      if (init.method === "POST") headers.set("origin", this.stackUrl);
    }
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    this.jar.store(url, res);
    return res;
  }

  /** POST /auth/v1/sign-in/social; the authorization URL the stack sends the browser to. */
  async start(provider: string): Promise<string> {
    const res = await this.send(`${this.stackUrl}/auth/v1/sign-in/social`, {
      method: "POST",
      json: { provider, callbackURL: "/account", errorCallbackURL: "/login" },
    });
    const body = (await res.json()) as { url?: string };
    if (res.status !== 200 || !body.url)
      throw new Error(`sign-in/social: ${res.status} ${JSON.stringify(body)}`);
    return body.url;
  }

  /**
   * Follows redirects from `url` until a page of the stack outside /auth/v1 (where the browser
   * lands) or a response that is no redirect. `rewrite` changes a hop's URL before it is visited
   * (a person's choice at the provider's login page, or an attacker's edit).
   */
  async follow(
    url: string,
    rewrite: (next: URL) => URL = (next) => next,
  ): Promise<{ landed: URL; hops: Hop[] }> {
    const hops: Hop[] = [];
    let next = rewrite(new URL(url));
    for (let i = 0; i < 12; i++) {
      const res = await this.send(next.href);
      // Node's fetch always says sec-fetch-mode: cors, so Better Auth answers some navigations
      // (the OAuth provider's authorize) with `{ redirect: true, url }`: a hop like a 302.
      const location =
        res.status >= 300 && res.status < 400 ? res.headers.get("location") : await redirectUrlOf(res);
      hops.push({ url: next.href, status: res.status });
      if (!location) return { landed: next, hops };
      next = rewrite(new URL(location, next));
      if (next.origin === this.stackUrl && !next.pathname.startsWith("/auth/v1/"))
        return { landed: next, hops };
    }
    throw new Error(`too many redirects: ${hops.map((h) => h.url).join(" → ")}`);
  }

  /** The signed-in user, or null. */
  async sessionUser(): Promise<{ id: string; email: string; emailVerified: boolean } | null> {
    const res = await this.send(`${this.stackUrl}/auth/v1/get-session`);
    const body = (await res.json()) as {
      user?: { id: string; email: string; emailVerified: boolean };
    } | null;
    return body?.user ?? null;
  }
}

/** The `url` of a 200 JSON `{ redirect: true, url }` answer; reads (and so ends) the body either way. */
async function redirectUrlOf(res: Response): Promise<string | null> {
  const text = await res.text();
  if (res.status !== 200 || !res.headers.get("content-type")?.includes("application/json")) return null;
  try {
    const body = JSON.parse(text) as { redirect?: unknown; url?: unknown } | null;
    return body?.redirect === true && typeof body.url === "string" ? body.url : null;
  } catch {
    return null;
  }
}
