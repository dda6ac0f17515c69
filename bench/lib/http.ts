/** The benchmark's HTTP client: timed requests to a local stack, as a browser or API client sends them. */

export interface Timed {
  ms: number;
  status: number;
  headers: Headers;
  body: string;
}

let clients = 0;

/**
 * A new client address per request. The benchmark is one process sending what many users would;
 * authform's rate limiter counts per address (cf-connecting-ip, which Cloudflare's edge sets), so
 * each request comes "from" its own user. The limiter's own D1 write is still paid and measured.
 * The peer's limiter is off (Better Auth's default outside production) and ignores the header.
 */
function nextClientAddress(): string {
  clients++;
  return `10.${(clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`;
}

/** Sends one request and times it to the last byte of the body. */
export async function timed(base: string, pathname: string, init: RequestInit = {}): Promise<Timed> {
  const headers = new Headers(init.headers);
  if (!headers.has("cf-connecting-ip")) headers.set("cf-connecting-ip", nextClientAddress());
  // Better Auth checks the Origin of state-changing requests against its trusted origins.
  if (init.method === "POST" && !headers.has("origin")) headers.set("origin", base);
  const t = performance.now();
  const res = await fetch(new URL(pathname, base), { ...init, headers, redirect: "manual" });
  const body = await res.text();
  return { ms: performance.now() - t, status: res.status, headers: res.headers, body };
}

export function postJson(base: string, pathname: string, json: unknown, headers: HeadersInit = {}) {
  return timed(base, pathname, {
    method: "POST",
    headers: { ...Object.fromEntries(new Headers(headers)), "content-type": "application/json" },
    body: JSON.stringify(json),
  });
}

/** The `name=value` pairs a response sets, as one Cookie header (expired ones dropped). */
export function cookieHeader(headers: Headers): string {
  return headers
    .getSetCookie()
    .filter((line) => !/max-age=0\b/i.test(line))
    .map((line) => line.split(";")[0])
    .join("; ");
}

export function expectOk(label: string, r: Timed, status = 200): Timed {
  if (r.status !== status)
    throw new Error(`${label}: expected ${status}, got ${r.status}: ${r.body.slice(0, 300)}`);
  return r;
}
