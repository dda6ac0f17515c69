/**
 * authform's own /api/v1 surface for the typed client: the fast-path token (minted from the session,
 * kept in memory, renewed a minute before it expires), `/me` with it, and the public system status.
 */
import type { ApiAuth } from "../../worker/api/context.ts";

export type { ApiAuth };

export interface FastPathToken {
  token: string;
  tokenType: "Bearer";
  /** Seconds since the epoch (the JWT's `exp`). */
  expiresAt: number;
}

export interface SystemStatus {
  app: string;
  stage: string;
  mode: string;
  authBasePath: string;
  emailAndPassword: boolean;
  plugins: string[];
  emailTransport: string;
  ready: boolean;
  readiness: Record<string, { ready: boolean; missing?: string[] }>;
}

/** A non-2xx answer from /api/v1, with the server's error code and message. */
export class AuthformApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "AuthformApiError";
  }
}

/** Renew this long before `exp`, so a request never leaves with a token about to lapse in flight. */
const RENEW_BEFORE_S = 60;

export function apiV1(baseURL: string, fetchImpl: typeof fetch) {
  let current: FastPathToken | undefined;
  let minting: Promise<FastPathToken> | undefined;

  async function call<T>(path: string, init: RequestInit): Promise<T> {
    const response = await fetchImpl(`${baseURL}/api/v1${path}`, { credentials: "include", ...init });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const code = typeof body.error === "string" ? body.error : `http_${response.status}`;
      const message = typeof body.message === "string" ? body.message : response.statusText;
      throw new AuthformApiError(response.status, code, message);
    }
    return body as T;
  }

  /** The fast-path token: reused while it has more than a minute left, else minted from the session. */
  async function token(): Promise<FastPathToken> {
    if (current && current.expiresAt - RENEW_BEFORE_S > Date.now() / 1000) return current;
    // One mint at a time: concurrent callers share it.
    minting ??= call<FastPathToken>("/token", { method: "POST" }).finally(() => {
      minting = undefined;
    });
    current = await minting;
    return current;
  }

  return {
    token,
    /** Who the session's user is, read through the fast path (no database read on the server). */
    async me(): Promise<ApiAuth> {
      const { token: jwt } = await token();
      return call<ApiAuth>("/me", { headers: { authorization: `Bearer ${jwt}` } });
    },
    systemStatus: () => call<SystemStatus>("/system/status", { method: "GET" }),
    /** Forgets the cached token (call after sign-out). */
    forgetToken() {
      current = undefined;
    },
  };
}
