/** The Account SPA's pages by path, with their titles: main.tsx renders one of these, and docs/screenshots shows each. */
export const PAGE_TITLES = {
  "/login": "Sign in",
  "/consent": "Allow access",
  "/account": "Your account",
  "/account/admin": "Manage users",
  "/accept-invitation": "Invitation",
  "/reset-password": "Choose a new password",
} as const;

export type PagePath = keyof typeof PAGE_TITLES;
