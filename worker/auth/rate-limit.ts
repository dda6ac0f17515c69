/** Better Auth's rate limiter, on in every stage: per-endpoint rules per client IP, counted in D1. */
import type { BetterAuthOptions } from "better-auth";
import type { RuntimeManifest } from "../../src/contract/manifest.ts";
import { routedD1 } from "../db/d1-session.ts";
import type { WorkerEnv } from "../env.ts";
import { d1RateLimitStorage } from "./rate-limit-storage.ts";

type RateLimitOptions = NonNullable<BetterAuthOptions["rateLimit"]>;

/** A rule: at most `max` requests per `window` seconds from one IP to one path. */
export interface RateLimitRule {
  window: number;
  max: number;
}

/**
 * The rules, by Better Auth path (after /auth/v1). The key is IP + path, so each endpoint has its
 * own budget. Numbers are set so a person never meets them (a few tries a minute) while a script
 * guessing passwords or codes, or sending mail to strangers, is stopped after a handful.
 * Seed aliases (`/magic-link/send`, `/email-otp/verify-otp`) forward to these paths and share them.
 */
export const RATE_LIMIT_RULES: Readonly<Record<string, RateLimitRule>> = {
  // Password guessing.
  "/sign-in/email": { window: 60, max: 10 },
  // Each one creates a user row.
  "/sign-up/email": { window: 60, max: 10 },
  "/sign-in/anonymous": { window: 60, max: 10 },
  // Each one sends an email to an address the caller chooses.
  "/email-otp/send-verification-otp": { window: 60, max: 5 },
  "/email-otp/request-password-reset": { window: 60, max: 5 },
  "/forget-password/email-otp": { window: 60, max: 5 },
  "/email-otp/request-email-change": { window: 60, max: 5 },
  "/sign-in/magic-link": { window: 60, max: 5 },
  "/request-password-reset": { window: 60, max: 5 },
  "/send-verification-email": { window: 60, max: 5 },
  // Code guessing: a 6-digit OTP also dies after 3 wrong tries; this caps guessing across emails.
  "/sign-in/email-otp": { window: 60, max: 10 },
  "/email-otp/verify-email": { window: 60, max: 10 },
  "/email-otp/check-verification-otp": { window: 60, max: 10 },
  "/email-otp/reset-password": { window: 60, max: 10 },
  "/email-otp/change-email": { window: 60, max: 10 },
  "/reset-password": { window: 60, max: 10 },
  "/change-password": { window: 60, max: 10 },
  "/set-password": { window: 60, max: 10 },
  "/change-email": { window: 60, max: 10 },
  "/delete-user": { window: 60, max: 10 },
  // A person clicks their link once; the token is unguessable. (Better Auth's own default is 5.)
  "/magic-link/verify": { window: 60, max: 30 },
  "/api-key/create": { window: 60, max: 20 },
  // Unauthenticated dynamic client registration writes a row per call.
  "/oauth2/register": { window: 60, max: 10 },
  // Code exchange and refresh for every connector behind one address (an office NAT, a CI runner).
  "/oauth2/token": { window: 60, max: 60 },
};

/**
 * Every other auth path: Better Auth's own default, or a plugin's own rule where it has one (the OAuth
 * provider's: authorize 30, revoke 30, userinfo 60, introspect 100 a minute).
 */
export const DEFAULT_RATE_LIMIT: RateLimitRule = { window: 10, max: 100 };

/**
 * Paths with no app-level limit: reads on every page view, where a D1 counter write per call would
 * double the cost of the hottest endpoint. Floods there are Cloudflare's job (WAF rate rules).
 */
export const UNLIMITED_PATHS = ["/get-session"] as const;

/**
 * Storage: D1 (`"database"`, the `rateLimit` table), with or without Workers KV, counted with one
 * conditional upsert per request (rate-limit-storage.ts), so requests sent at once never get past
 * `max`. KV cannot count like that: it has no compare-and-set (a read then a write lets every racer
 * read the same count) and takes about one write per second per key. One D1 database is also strongly consistent across isolates and
 * colos and runs the same locally. Cloudflare's rate-limit binding counts per colo, only in 10 s or
 * 60 s windows, and has no local emulation here. docs/RELIABILITY.md, "Concurrency guarantees".
 */
export function rateLimitOptions(env: WorkerEnv, _manifest: RuntimeManifest): RateLimitOptions {
  const customRules: NonNullable<RateLimitOptions["customRules"]> = { ...RATE_LIMIT_RULES };
  for (const path of UNLIMITED_PATHS) customRules[path] = false;
  return {
    // Better Auth turns the limiter off outside NODE_ENV=production; a local stack should behave like a deploy.
    enabled: true,
    window: DEFAULT_RATE_LIMIT.window,
    max: DEFAULT_RATE_LIMIT.max,
    storage: "database",
    // Through the request's D1 session, as Better Auth's own statements (a POST's starts on the primary).
    customStorage: d1RateLimitStorage(routedD1(env.DB)),
    customRules,
  };
}
