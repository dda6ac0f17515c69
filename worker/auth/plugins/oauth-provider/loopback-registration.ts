/**
 * RFC 8252 loopback redirects for clients that do not say what they are. Better Auth treats a
 * registration without `application_type` as a web client, and web clients may not redirect to
 * http://127.0.0.1 — but MCP clients (the MCP SDK's auth(), Claude, Cursor...) register exactly so.
 * When every redirect URI is http on an exact loopback host, the registration is marked
 * `application_type: "native"`, which is what such a client is; Better Auth's own native-client
 * rules then still apply in full.
 *
 * Why not oauth-provider's own `clientRegistrationDefaultApplicationType: "infer"` (1.7.29)? Tried
 * in issue 16: the MCP SDK tests pass with it, but it makes a registration native when *any*
 * redirect is loopback or a custom scheme, so `["https://client.example.com/cb",
 * "http://127.0.0.1:8080/cb"]` registers (201) where test/stack/oauth-provider.test.ts ("still
 * refuses the non-loopback or mixed http redirects") expects 400: one client id would hold a web
 * redirect under native rules. "infer" also leaves /oauth2/create-client alone; this covers both.
 */
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";

/** The raw host must be one of these: Better Auth refuses look-alikes such as 127.1 or localhost. */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** http on an exact loopback host, any port (the client picks a free one each run, RFC 8252 §7.3). */
export function isLoopbackHttpRedirect(uri: unknown): boolean {
  if (typeof uri !== "string") return false;
  const authority = /^http:\/\/([^/?#]*)/i.exec(uri)?.[1];
  if (authority === undefined || authority.includes("@")) return false;
  const host = authority.startsWith("[")
    ? authority.slice(0, authority.indexOf("]") + 1)
    : (authority.split(":")[0] ?? "");
  return LOOPBACK_HOSTS.has(host.toLowerCase());
}

/** Whether a registration body should be treated as a native app: no type given, only loopback http redirects. */
export function isUntypedLoopbackClient(body: unknown): boolean {
  if (typeof body !== "object" || body === null) return false;
  const { application_type: type, redirect_uris: uris } = body as Record<string, unknown>;
  return type === undefined && Array.isArray(uris) && uris.length > 0 && uris.every(isLoopbackHttpRedirect);
}

const REGISTRATION_PATHS = new Set(["/oauth2/register", "/oauth2/create-client"]);

export function loopbackRegistration(): BetterAuthPlugin {
  return {
    id: "authform-loopback-registration",
    hooks: {
      before: [
        {
          matcher: (ctx) => REGISTRATION_PATHS.has(ctx.path ?? "") && isUntypedLoopbackClient(ctx.body),
          handler: createAuthMiddleware(async (ctx) => ({
            context: { body: { ...(ctx.body as Record<string, unknown>), application_type: "native" } },
          })),
        },
      ],
    },
  };
}
