/** The signed-in user as Better Auth reports it (get-session), or null. */
import { get } from "./api.ts";

export interface User {
  id: string;
  name: string;
  email: string;
  image?: string | null;
  emailVerified: boolean;
  isAnonymous?: boolean | null;
  /** With the twoFactor plugin: whether a password sign-in asks for a second factor. */
  twoFactorEnabled?: boolean | null;
  createdAt: string;
}

export interface SessionInfo {
  user: User;
  session: { id: string; activeOrganizationId?: string | null; expiresAt: string };
}

export function getSession(): Promise<SessionInfo | null> {
  return get<SessionInfo | null>("/get-session");
}
