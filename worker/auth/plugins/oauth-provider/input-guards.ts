/**
 * Hostile input the OAuth provider would answer with a 500, turned into the 4xx it is (each found by
 * test/hardening/hostile-input.test.ts):
 * - an access token whose JWT header names an algorithm no JWKS key can have (`none`, `HS256`, junk):
 *   jose throws JOSENotSupported → here 401 invalid_token;
 * - `oauth_query` that is not a string (e.g. an array): its hook, which runs on every endpoint,
 *   feeds it to `new URLSearchParams` and throws a TypeError → here 400 invalid_request.
 */
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";

/** Algorithms jose can verify against a JSON Web Key Set (what the jwt plugin publishes). */
const JWKS_ALGORITHMS = /^(?:(?:RS|PS|ES)(?:256|384|512)|EdDSA|Ed25519)$/;

/** Endpoints that verify a bearer access token as a JWT. */
const BEARER_PATHS = new Set(["/oauth2/userinfo"]);

/** The `alg` of a JWT-shaped token; `null` when it is not a JWT (Better Auth checks opaque tokens itself). */
export function jwtAlgorithm(token: string): string | null | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(atob((parts[0] ?? "").replace(/-/g, "+").replace(/_/g, "/"))) as unknown;
    const alg = typeof header === "object" && header !== null ? (header as { alg?: unknown }).alg : undefined;
    return typeof alg === "string" ? alg : undefined;
  } catch {
    return undefined;
  }
}

function hasNonStringOAuthQuery(body: unknown): boolean {
  if (typeof body !== "object" || body === null || !("oauth_query" in body)) return false;
  const value = (body as { oauth_query?: unknown }).oauth_query;
  return value !== undefined && value !== null && typeof value !== "string";
}

/** Register before oauthProvider(): plugins' before-hooks run in order. */
export function oauthInputGuards(): BetterAuthPlugin {
  return {
    id: "authform-oauth-input-guards",
    hooks: {
      before: [
        {
          matcher: (ctx) => BEARER_PATHS.has(ctx.path ?? ""),
          handler: createAuthMiddleware(async (ctx) => {
            const token = /^Bearer\s+(\S+)$/i.exec(ctx.headers?.get("authorization") ?? "")?.[1];
            if (!token) return;
            const alg = jwtAlgorithm(token);
            if (alg === null || (alg !== undefined && JWKS_ALGORITHMS.test(alg))) return;
            throw new APIError(
              "UNAUTHORIZED",
              { error: "invalid_token", error_description: "Invalid access token" },
              { "WWW-Authenticate": 'Bearer error="invalid_token"' },
            );
          }),
        },
        {
          matcher: (ctx) => hasNonStringOAuthQuery(ctx.body),
          handler: createAuthMiddleware(async () => {
            throw new APIError("BAD_REQUEST", {
              error: "invalid_request",
              error_description:
                "oauth_query must be a string (the signed query the login or consent page received).",
            });
          }),
        },
      ],
    },
  };
}
