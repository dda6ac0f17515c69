/**
 * /api/v1 authentication, in order: a fast-path Bearer JWT (verified with Web Crypto, no DB), else
 * the Better Auth session cookie, else an API key. A credential that is present but bad is a 401:
 * it never falls through to the next method or to anonymous.
 */

import type { MiddlewareHandler } from "hono";
import type { Auth } from "../auth/create-auth.ts";
import { apiKeyFromRequest } from "../auth/plugins/api-key/key-from-request.ts";
import { mustEnroll } from "../auth/plugins/two-factor/options.ts";
import type { WorkerEnv } from "../env.ts";
import { CodedHttpError } from "../middleware/errors.ts";
import type { WorkerSpec } from "../spec.ts";
import type { ApiAuth, ApiEnv, ApiKeyGrant } from "./context.ts";
import { fastPathSettings } from "./fast-path-settings.ts";
import { verifyFastPathToken } from "./fast-path-token.ts";
import { keyOwner } from "./key-owner.ts";
import { orgRoles } from "./org-role.ts";
import { FastPathTokenError } from "./token-errors.ts";

/** The slice of the apiKey plugin's server API this middleware calls. */
interface ApiKeyApi {
  verifyApiKey(input: { body: { key: string } }): Promise<{
    valid: boolean;
    error?: { code?: string; details?: { tryAgainIn?: number } } | null;
    key: {
      id?: string;
      userId?: string;
      referenceId?: string;
      metadata?: unknown;
      permissions?: Record<string, string[]> | null;
    } | null;
  }>;
}

export class ApiAuthError extends CodedHttpError {
  constructor(code: string, message: string) {
    super(401, code, message);
  }
}

/** `twoFactor: { required: true }` and a session whose user has not turned it on: signed in, but held to enrollment. */
export class EnrollmentRequiredError extends CodedHttpError {
  constructor() {
    super(
      403,
      "two_factor_enrollment_required",
      "Turn on two-factor authentication first: this app requires it for every account.",
    );
  }
}

/** A valid key over its per-key rate limit: 429, not 401 (the key is fine; the caller should wait). */
export class ApiKeyRateLimitedError extends CodedHttpError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      429,
      "api_key_rate_limited",
      `This API key is over its rate limit. Retry in ${retryAfterSeconds} s.`,
    );
  }
}

export function authenticate(spec: WorkerSpec, authFor: (env: WorkerEnv) => Auth): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    try {
      const caller = await identify(c.req.raw, c.env, spec, authFor);
      c.set("auth", caller.auth);
      c.set("apiKey", caller.apiKey);
    } catch (err) {
      // The shared error handler knows no headers; Retry-After is what a well-behaved client reads.
      if (!(err instanceof ApiKeyRateLimitedError)) throw err;
      return c.json({ error: err.code, message: err.message, retryAfter: err.retryAfterSeconds }, 429, {
        "retry-after": String(err.retryAfterSeconds),
      });
    }
    await next();
  };
}

async function identify(
  req: Request,
  env: WorkerEnv,
  spec: WorkerSpec,
  authFor: (env: WorkerEnv) => Auth,
): Promise<{ auth: ApiAuth; apiKey: ApiKeyGrant | null }> {
  const authorization = req.headers.get("authorization");
  if (authorization !== null) return { auth: await fromBearer(authorization, env, spec), apiKey: null };

  if (hasSessionCookie(req)) return { auth: await fromSession(req, env, spec, authFor(env)), apiKey: null };

  // The same reader as Better Auth's own endpoints: an empty header or ?api_key= counts as absent.
  const key = apiKeyFromRequest(req.headers, req.url);
  if (key !== null) {
    if (!spec.plugins.apiKey)
      throw new ApiAuthError("api_key_unsupported", "API keys are not enabled on this stack.");
    return fromApiKey(key, env, spec, authFor(env));
  }
  throw new ApiAuthError(
    "authentication_required",
    "Sign in, or send a Bearer token or an API key (x-api-key header).",
  );
}

async function fromBearer(authorization: string, env: WorkerEnv, spec: WorkerSpec): Promise<ApiAuth> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw new ApiAuthError("token_malformed", "The Authorization header must be 'Bearer <token>'.");
  const settings = await fastPathSettings(env, spec.manifest);
  try {
    const claims = await verifyFastPathToken(match[1] as string, settings.verifyKeys, {
      issuer: settings.issuer,
      audience: settings.audience,
      now: Math.floor(Date.now() / 1000),
      maxLifetimeSeconds: settings.lifetimeSeconds,
    });
    return {
      userId: claims.sub,
      orgId: claims.orgId,
      roles: claims.role ? claims.role.split(",") : [],
      authMethod: "jwt",
      email: claims.email,
      name: claims.name,
      isAnonymous: claims.anon === true,
    };
  } catch (err) {
    if (err instanceof FastPathTokenError) throw new ApiAuthError(err.code, err.message);
    throw err;
  }
}

function hasSessionCookie(req: Request): boolean {
  const cookie = req.headers.get("cookie");
  return cookie !== null && /(?:^|;\s*)(?:__Secure-)?better-auth\.session_token=/.test(cookie);
}

async function fromSession(req: Request, env: WorkerEnv, spec: WorkerSpec, auth: Auth): Promise<ApiAuth> {
  const result = await auth.api.getSession({ headers: req.headers });
  if (!result)
    throw new ApiAuthError("session_invalid", "The session has expired or was signed out. Sign in again.");
  if (mustEnroll(spec.manifest, result.user)) throw new EnrollmentRequiredError();
  const orgId = (result.session as { activeOrganizationId?: string | null }).activeOrganizationId ?? null;
  const roles = orgId ? ((await orgRoles(env, result.user.id, orgId)) ?? []) : [];
  return {
    userId: result.user.id,
    orgId: roles.length > 0 ? orgId : null,
    roles,
    authMethod: "session",
    email: result.user.email,
    name: result.user.name,
    isAnonymous: (result.user as { isAnonymous?: boolean | null }).isAnonymous === true,
  };
}

async function fromApiKey(
  key: string,
  env: WorkerEnv,
  spec: WorkerSpec,
  auth: Auth,
): Promise<{ auth: ApiAuth; apiKey: ApiKeyGrant }> {
  const result = await (auth.api as unknown as ApiKeyApi).verifyApiKey({ body: { key } });
  if (!result.valid && result.error?.code === "RATE_LIMITED") {
    // Better Auth reports milliseconds until the window frees up; Retry-After is whole seconds, at least 1.
    const ms = result.error.details?.tryAgainIn;
    throw new ApiKeyRateLimitedError(Math.max(1, Math.ceil((typeof ms === "number" ? ms : 1000) / 1000)));
  }
  const userId = result.key?.referenceId ?? result.key?.userId;
  if (!result.valid || !result.key || !userId) {
    throw new ApiAuthError("api_key_invalid", "The API key is not valid, or it was revoked or expired.");
  }
  const orgId = organizationOf(result.key.metadata);
  let roles: string[] = [];
  if (orgId) {
    const found = await orgRoles(env, userId, orgId);
    // A key inherits its creator's access; once they leave the org, the key has none there.
    if (!found)
      throw new ApiAuthError(
        "api_key_org_revoked",
        "The key's owner is no longer a member of its organization.",
      );
    roles = found;
  }
  // A guest can make a key too, and an admin can ban its owner: only stacks with guests or admins
  // pay the one extra read to say so.
  const owner =
    spec.plugins.anonymous || spec.plugins.admin
      ? await keyOwner(env, userId)
      : { isAnonymous: false, banned: false };
  if (owner.banned)
    throw new ApiAuthError(
      "api_key_owner_banned",
      "The key's owner is banned; the key does not work until they are unbanned.",
    );
  return {
    auth: {
      userId,
      orgId,
      roles,
      authMethod: "api-key",
      email: null,
      name: null,
      isAnonymous: owner.isAnonymous,
    },
    apiKey: { id: result.key.id ?? "", permissions: result.key.permissions ?? null },
  };
}

function organizationOf(metadata: unknown): string | null {
  const value = typeof metadata === "string" ? safeJson(metadata) : metadata;
  const orgId = (value as { organizationId?: unknown } | null)?.organizationId;
  return typeof orgId === "string" && orgId !== "" ? orgId : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
