/** The per-account limits: which auth paths count against an email address, in which group, with what budget. */

/**
 * Each group has its own counter per account, so guessing one way in never slows another: a
 * password-guessing attack leaves the owner's link, code and passkey alone.
 */
export type AccountLimitGroup =
  | "password"
  | "code-verify"
  | "code-send"
  | "link-send"
  | "reset"
  | "second-factor"
  | "second-factor-send";

/** A group's budget. Every attempt is counted before it is judged; times in seconds. */
export interface AccountLimitRule {
  /** Attempts in a row that wait for nothing. */
  free: number;
  /** The wait after the last free attempt; each further attempt doubles it. */
  firstDelay: number;
  /** The longest wait between two attempts. */
  maxDelay: number;
  /** The ceiling per window, whatever the waits (OWASP ASVS 2.2.1: at most 100 failed attempts an hour). */
  maxPerWindow: number;
  /** Counting starts afresh this long after a window's first attempt. */
  window: number;
  /** A success (2xx) clears the count: for guesses. Sends count every time. */
  resetOnSuccess: boolean;
  /** Email the account when this many attempts (judged or turned away) come in without a success. */
  notifyAfter?: number;
}

const HOUR = 3600;

/** Guessing a password or a code: five tries, then 1 s, 2 s, 4 s … up to 5 min between tries. */
const GUESSES: AccountLimitRule = {
  free: 5,
  firstDelay: 1,
  maxDelay: 300,
  maxPerWindow: 100,
  window: HOUR,
  resetOnSuccess: true,
  notifyAfter: 10,
};

/**
 * Guessing a second factor (TOTP or backup code) in a pending two-factor sign-in, counted per
 * account across every challenge: whoever guesses already has the password, so no email notice
 * that would tell the owner their other ways in still work (it would need its own wording).
 */
const SECOND_FACTOR_GUESSES: AccountLimitRule = { ...GUESSES, notifyAfter: undefined };

/** Mail to the account's address: five, then 30 s, 1 min, 2 min … up to 15 min between sends. */
const SENDS: AccountLimitRule = {
  free: 5,
  firstDelay: 30,
  maxDelay: 900,
  maxPerWindow: 20,
  window: HOUR,
  resetOnSuccess: false,
};

export const ACCOUNT_LIMITS: Readonly<Record<AccountLimitGroup, AccountLimitRule>> = {
  password: GUESSES,
  "code-verify": GUESSES,
  "code-send": SENDS,
  "link-send": SENDS,
  reset: SENDS,
  "second-factor": SECOND_FACTOR_GUESSES,
  "second-factor-send": SENDS,
};

/**
 * The Better Auth paths (after /auth/v1) that take an `email` and act on that account, with the
 * seed's aliases, which are separate routes in front of Better Auth. Magic-link verify is not here:
 * it takes an unguessable token, not an address; `/reset-password` likewise. The two-factor verify
 * paths, and the emailed second factor's send, name their account by the pending sign-in's cookie
 * instead (two-factor-challenge.ts): a send is mail to the account's own address, so each pending
 * sign-in being a fresh one (a password is all it takes) must not reset the count.
 */
export const ACCOUNT_LIMITED_PATHS: Readonly<Record<string, AccountLimitGroup>> = {
  "/sign-in/email": "password",
  "/sign-in/email-otp": "code-verify",
  "/email-otp/verify-otp": "code-verify",
  "/email-otp/verify-email": "code-verify",
  "/email-otp/check-verification-otp": "code-verify",
  "/email-otp/reset-password": "code-verify",
  "/email-otp/send-verification-otp": "code-send",
  "/sign-in/magic-link": "link-send",
  "/magic-link/send": "link-send",
  "/request-password-reset": "reset",
  "/email-otp/request-password-reset": "reset",
  "/forget-password/email-otp": "reset",
  "/two-factor/verify-totp": "second-factor",
  "/two-factor/verify-backup-code": "second-factor",
  "/two-factor/verify-otp": "second-factor",
  "/two-factor/send-otp": "second-factor-send",
};
