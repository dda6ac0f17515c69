/**
 * The screenshots in docs/screenshots/, in order: one or more per Account SPA page (the route it
 * shows), so test/docs/screenshots.test.ts can fail when a page has none. How each is reached is in
 * drive.ts, keyed by the same names.
 */
import type { PagePath } from "../../account/src/page-routes.ts";

export interface Shot {
  /** The PNG's name (without .png). */
  name: string;
  /** The SPA page it shows. */
  route: PagePath;
  /** What it shows, for docs/screenshots/README.md. */
  caption: string;
}

export const SHOTS = [
  { name: "login", route: "/login", caption: "Sign in: password, emailed code or link, passkey, guest" },
  { name: "login-create-account", route: "/login", caption: "Create an account" },
  { name: "login-forgot-password", route: "/login", caption: "Forgot password: ask for a reset link" },
  {
    name: "login-second-factor",
    route: "/login",
    caption: "The second factor after a password (two-factor on)",
  },
  { name: "login-link-spent", route: "/login", caption: "A used or expired sign-in link, explained" },
  { name: "account", route: "/account", caption: "The whole account page: every section" },
  { name: "account-two-factor-setup", route: "/account", caption: "Two-factor setup: QR code and setup key" },
  { name: "account-backup-codes", route: "/account", caption: "Two-factor on: the backup codes, shown once" },
  { name: "account-delete", route: "/account", caption: "Delete the account: the confirmation form" },
  {
    name: "account-guest",
    route: "/account",
    caption: "A guest's account: save it with an email and password",
  },
  { name: "admin", route: "/account/admin", caption: "Manage users (admin)" },
  {
    name: "admin-not-for-you",
    route: "/account/admin",
    caption: "The admin page, opened by someone who is not an admin",
  },
  { name: "consent", route: "/consent", caption: "OAuth consent for a third-party app" },
  { name: "consent-nothing", route: "/consent", caption: "Consent opened without an authorization request" },
  {
    name: "reset-password",
    route: "/reset-password",
    caption: "Choose a new password, from the emailed link",
  },
  { name: "reset-password-spent", route: "/reset-password", caption: "A reset link that no longer works" },
  { name: "accept-invitation", route: "/accept-invitation", caption: "An invitation to an organization" },
] as const satisfies readonly Shot[];

export type ShotName = (typeof SHOTS)[number]["name"];
