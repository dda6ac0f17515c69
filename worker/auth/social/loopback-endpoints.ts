/**
 * Local mode and tests only: AUTHFORM_SOCIAL_LOOPBACK maps a provider's endpoints to a stand-in on
 * loopback, keeping each path (https://github.com/login/oauth/authorize →
 * http://127.0.0.1:4002/login/oauth/authorize). Better Auth's own provider code runs unchanged:
 * its requests are rewritten on the way out, and the authorization URL it builds on the way back.
 * The plan refuses the variable on a deploy; this file ignores it outside AUTHFORM_MODE=local too.
 */
import {
  parseSocialLoopback,
  SOCIAL_PROVIDERS,
  type SocialProviderId,
} from "../../../src/contract/social-providers.ts";
import type { WorkerEnv } from "../../env.ts";

/** A function from a URL to its loopback stand-in, or undefined when the URL is not a mapped provider's. */
export type EndpointMap = (url: string) => string | undefined;

export function loopbackEndpoints(env: WorkerEnv): EndpointMap | undefined {
  if (env.AUTHFORM_MODE !== "local" || !env.AUTHFORM_SOCIAL_LOOPBACK) return undefined;
  const parsed = parseSocialLoopback(env.AUTHFORM_SOCIAL_LOOPBACK);
  if ("problems" in parsed) return undefined;
  // Each endpoint's origin + path prefix → the loopback origin.
  const prefixes: [string, string][] = [];
  for (const [id, origin] of Object.entries(parsed.origins) as [SocialProviderId, string][]) {
    for (const endpoint of SOCIAL_PROVIDERS[id].endpoints) prefixes.push([endpoint, origin]);
  }
  return (url) => {
    // Compared decoded: Better Auth's fetch sends Discord's /users/@me as /users/%40me.
    const plain = decoded(url);
    for (const [endpoint, origin] of prefixes) {
      const under = endpoint.endsWith("/") && plain.startsWith(endpoint);
      if (under || plain === endpoint || plain.startsWith(`${endpoint}?`)) {
        return `${origin}${url.slice(new URL(endpoint).origin.length)}`;
      }
    }
    return undefined;
  };
}

function decoded(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

let installed: EndpointMap | undefined;

/** Sends the isolate's requests to mapped endpoints to their stand-ins (once per isolate). */
export function installLoopbackFetch(map: EndpointMap): void {
  if (installed) return;
  installed = map;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const mapped = map(url);
    if (mapped === undefined) return realFetch(input, init);
    return realFetch(input instanceof Request ? new Request(mapped, input) : mapped, init);
  };
}

/** The part of a Better Auth provider this touches. */
interface AuthorizingProvider {
  createAuthorizationURL(...args: never[]): Promise<URL> | URL;
}

/** Points each provider's authorization URL (where the browser goes) at its stand-in. */
export function redirectAuthorizationUrls(providers: AuthorizingProvider[], map: EndpointMap): void {
  for (const provider of providers) {
    const original = provider.createAuthorizationURL.bind(provider);
    provider.createAuthorizationURL = async (...args: never[]) => {
      const url = await original(...args);
      const mapped = map(url.toString());
      return mapped === undefined ? url : new URL(mapped);
    };
  }
}
