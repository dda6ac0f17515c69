/** "A sign-in of the last few minutes": what stands in for a password on an account that has none. */

/** How recent the sign-in must be, in seconds. */
export const FRESH_SIGN_IN_SECONDS = 5 * 60;

export function isFreshSignIn(session: { createdAt: Date | string }): boolean {
  return Date.now() - new Date(session.createdAt).getTime() <= FRESH_SIGN_IN_SECONDS * 1000;
}
