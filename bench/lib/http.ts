/** The benchmark's HTTP client: timed requests to a local stack, as a browser or API client sends them. */

export interface Timed {
  ms: number;
  status: number;
  headers: Headers;
  body: string;
}

/** Sends one request and times it to the last byte of the body. */
export async function timed(base: string, pathname: string, init: RequestInit = {}): Promise<Timed> {
  const headers = new Headers(init.headers);
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
