/** Calls to the stack's Better Auth API (same origin, cookies included), with errors a person can read. */

/** A failed call: `message` is meant for the screen, `code` for logic. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Better Auth's answer that asks the browser to go somewhere (OAuth sign-in, consent). */
export interface RedirectAnswer {
  redirect: true;
  url: string;
}

let basePath = "/auth/v1";

export function setAuthBasePath(path: string): void {
  basePath = path;
}

/** Friendlier words for the codes a person is most likely to meet. */
const MESSAGES: Record<string, string> = {
  INVALID_EMAIL_OR_PASSWORD: "That email and password do not match an account.",
  USER_ALREADY_EXISTS: "An account with this email already exists. Sign in instead.",
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: "An account with this email already exists. Sign in instead.",
  EMAIL_ALREADY_IN_USE: "An account with this email already exists.",
  PASSWORD_TOO_SHORT: "That password is too short.",
  PASSWORD_TOO_LONG: "That password is too long.",
  INVALID_OTP: "That code is not right. Check the latest email and try again.",
  OTP_EXPIRED: "That code has expired. Ask for a new one.",
  TOO_MANY_ATTEMPTS: "Too many wrong codes. Ask for a new one.",
  EMAIL_NOT_VERIFIED: "Verify your email address first: check your inbox.",
  ORGANIZATION_ALREADY_EXISTS: "An organization already uses this slug. Choose another one.",
  ORGANIZATION_SLUG_ALREADY_TAKEN: "An organization already uses this slug. Choose another one.",
  INVALID_PASSWORD: "That password is not right.",
  // Listing sessions and other sensitive steps want a sign-in from the last day.
  SESSION_NOT_FRESH: "For your safety, sign out and sign in again to do this.",
  // The second factor (Better Auth's twoFactor, authform's replay guard).
  INVALID_CODE: "That code is not right. Check your authenticator app and try again.",
  INVALID_BACKUP_CODE: "That backup code is not right, or it has been used. Each backup code works once.",
  TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE:
    "Too many wrong codes for this sign-in. Sign in with your password again.",
  OTP_HAS_EXPIRED: "That code has expired or was used. Email yourself a new one.",
  INVALID_TWO_FACTOR_COOKIE: "This sign-in has expired. Sign in with your password again.",
  ACCOUNT_TEMPORARILY_LOCKED:
    "Too many wrong codes: two-factor sign-in is locked for this account for a while. Try again later.",
};

export async function api<T>(
  path: string,
  init: { method?: "GET" | "POST"; body?: unknown } = {},
): Promise<T> {
  const method = init.method ?? (init.body === undefined ? "GET" : "POST");
  let res: Response;
  try {
    res = await fetch(`${basePath}${path}`, {
      method,
      credentials: "include",
      headers: method === "POST" ? { "content-type": "application/json" } : {},
      body: method === "POST" ? JSON.stringify(init.body ?? {}) : undefined,
    });
  } catch {
    throw new ApiError(0, "network", "Could not reach the server. Check your connection and try again.");
  }
  const text = await res.text();
  const data: unknown = text === "" ? null : safeJson(text);
  if (!res.ok) throw errorFrom(res.status, data, retryAfterOf(res));
  return data as T;
}

export const get = <T>(path: string) => api<T>(path);
export const post = <T>(path: string, body: unknown = {}) => api<T>(path, { method: "POST", body });

/** The answer's redirect URL, when Better Auth asked the browser to go on (OAuth flows). */
export function redirectOf(answer: unknown): string | undefined {
  if (typeof answer !== "object" || answer === null) return undefined;
  const { redirect, url } = answer as Partial<RedirectAnswer>;
  return redirect === true && typeof url === "string" ? url : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Seconds until a 429 may be retried: the Worker gives every 429 a Retry-After (worker/middleware/retry-after.ts). */
function retryAfterOf(res: Response): number | undefined {
  const seconds = Number(res.headers.get("retry-after") ?? Number.NaN);
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : undefined;
}

function errorFrom(status: number, data: unknown, retryAfter?: number): ApiError {
  const body = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
  const code = String(body.code ?? body.error ?? status);
  const given = typeof body.message === "string" && body.message !== "" ? body.message : undefined;
  if (MESSAGES[code]) return new ApiError(status, code, MESSAGES[code]);
  if (status === 401)
    return new ApiError(status, code, given ?? "You are signed out. Sign in and try again.");
  if (status === 429) {
    const wait =
      retryAfter === undefined ? "a minute" : retryAfter === 1 ? "1 second" : `${retryAfter} seconds`;
    return new ApiError(status, code, `Too many attempts. Wait ${wait} and try again.`);
  }
  if (status >= 500)
    return new ApiError(status, code, given ?? "Something went wrong on our side. Try again.");
  return new ApiError(status, code, given ?? "That did not work. Try again.");
}

/** The message to show for anything thrown. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
