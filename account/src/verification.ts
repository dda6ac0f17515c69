/** With `requireEmailVerification`: sign-up and guest upgrade answer without a session until the emailed link is followed. */

/** Better Auth's answer when the address must be verified first: `{ token: null, user }`. */
export function awaitsVerification(answer: unknown): boolean {
  return typeof answer === "object" && answer !== null && (answer as { token?: unknown }).token === null;
}

/** Where the verification link lands: /login saying the address is verified, then on to `target`. */
export function verifiedCallbackURL(target: string): string {
  return new URL(`/login?${new URLSearchParams({ verified: "1", redirect: target })}`, location.href).href;
}

/** /login telling the person to follow the link just emailed to `email`, then on to `target`. */
export function checkInboxURL(email: string, target: string): string {
  return `/login?${new URLSearchParams({ verify: email, redirect: target })}`;
}
