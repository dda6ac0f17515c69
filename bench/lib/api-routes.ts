/**
 * Issue 5's benchmark on one authform Worker: GET /api/v1/me by fast-path JWT, by session cookie and by
 * API key, against the unauthenticated no-op route GET /, interleaved in one run; then bounded load.
 */
import type { Credentials } from "./auth-flows.ts";
import { rotations } from "./auth-flows.ts";
import { expectOk, postJson, timed } from "./http.ts";
import { load } from "./load.ts";
import { summarize } from "./stats.ts";
import type { ApiRoute, Settings, StackResult } from "./types.ts";

interface Route {
  name: ApiRoute;
  path: string;
  headers: Record<string, string>;
  /** The authMethod /api/v1/me must report, so a fall-through can never pass as a fast path. */
  method?: string;
}

async function apiKeyFor(base: string, creds: Credentials): Promise<string> {
  const r = expectOk(
    "api-key create",
    await postJson(base, "/auth/v1/api-key/create", { name: "bench" }, { cookie: creds.cookie }),
  );
  const key = (JSON.parse(r.body) as { key?: string }).key;
  if (!key) throw new Error(`api-key create returned no key: ${r.body}`);
  return key;
}

export async function measureApiRoutes(
  result: StackResult,
  base: string,
  creds: Credentials,
  settings: Settings,
): Promise<void> {
  if (!creds.bearer) throw new Error(`${result.spec.label}: sign-in sent no set-auth-token header`);
  const routes: Route[] = [
    { name: "no-op GET /", path: "/", headers: {} },
    {
      name: "me: JWT",
      path: "/api/v1/me",
      headers: { authorization: `Bearer ${creds.bearer}` },
      method: "jwt",
    },
    { name: "me: cookie", path: "/api/v1/me", headers: { cookie: creds.cookie }, method: "session" },
  ];
  if (result.plugins.includes("apiKey")) {
    const key = await apiKeyFor(base, creds);
    routes.push({
      name: "me: API key",
      path: "/api/v1/me",
      headers: { "x-api-key": key },
      method: "api-key",
    });
  }
  for (const route of routes) {
    const r = expectOk(
      `${result.spec.label} ${route.name}`,
      await timed(base, route.path, { headers: route.headers }),
    );
    const method = (JSON.parse(r.body) as { authMethod?: string }).authMethod;
    if (route.method && method !== route.method)
      throw new Error(`${result.spec.label} ${route.name}: authMethod ${method}, expected ${route.method}`);
  }

  const samples = new Map<ApiRoute, number[]>(routes.map((r) => [r.name, []]));
  const failed = new Map<ApiRoute, string>();
  for (let i = 0; i < settings.fastSamples; i++) {
    for (const route of rotations(routes, i)) {
      if (failed.has(route.name)) continue;
      const r = await timed(base, route.path, { headers: route.headers });
      if (r.status === 200) samples.get(route.name)?.push(r.ms);
      // e.g. the apiKey plugin's default per-key rate limit: report it rather than time rejections.
      else failed.set(route.name, `stopped after ${i + 1} requests: ${r.status} ${r.body.slice(0, 160)}`);
    }
  }
  for (const route of routes) {
    const note = failed.get(route.name);
    const latency = summarize(samples.get(route.name) ?? []);
    const loadResult = note
      ? undefined
      : await load(`${base}${route.path}`, route.headers, {
          connections: settings.connections,
          seconds: Math.max(2, Math.round(settings.loadSeconds / 2)),
        });
    result.api[route.name] = {
      latency,
      ...(loadResult ? { load: loadResult } : {}),
      ...(note ? { note } : {}),
    };
  }
}
